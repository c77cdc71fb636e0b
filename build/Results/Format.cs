using System.Globalization;

namespace Filare.Perf.Results;

public static class Format
{
    public static string Bytes(long? bytes) => bytes is null ? "-" : Bytes((double)bytes.Value);

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1024 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024 * 1024):0.00} GiB"),
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0.0} MiB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
    };

    public static string Seconds(double seconds) => seconds >= 10
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s")
        : seconds >= 0.1 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.000} s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0.0} ms");

    /// <summary>A relative change, signed: 0.031 is "+3.1%".</summary>
    public static string Change(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{(fraction >= 0 ? "+" : "")}{fraction * 100:0.0}%");

    public static string Percent(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0}%");

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Median ± half the IQR: robust to the odd slow run that noisy runners produce.</summary>
    public static string Runtime(Summary wall) => $"{Seconds(wall.Median)} ± {Seconds(wall.Iqr / 2)}";
}
