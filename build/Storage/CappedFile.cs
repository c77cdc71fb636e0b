using System.Text;

namespace Filare.Perf.Storage;

/// <summary>
/// Reads a file that untrusted code wrote (anything inside a PR's artifact) with a size cap: a file
/// over the cap is refused before it is read, and the read itself stops at the cap, so a file that
/// lies about its size (a device, one still growing) cannot exhaust the report job's memory either.
/// A refusal is an <see cref="InvalidDataException"/> naming the file and the cap; callers read each
/// file in its own try and note the refusal, so one huge file never costs the rest of the report.
/// </summary>
public static class CappedFile
{
    /// <summary>The profile job checks the same figure before it uploads (PerfWorkflow's size check).</summary>
    public const long MaxProfileBytes = 64L << 20;

    public static string ReadAllText(string path, long maxBytes = MaxProfileBytes) => Encoding.UTF8.GetString(ReadAllBytes(path, maxBytes));

    public static byte[] ReadAllBytes(string path, long maxBytes = MaxProfileBytes)
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
        {
            throw TooLarge(path, length, maxBytes);
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var buffer = new MemoryStream((int)Math.Min(length, maxBytes));
        var chunk = new byte[81_920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(path, buffer.Length + read, maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static InvalidDataException TooLarge(string path, long bytes, long maxBytes) =>
        new($"{Path.GetFileName(path)} refused: {Mib(bytes)} MiB is over the {Mib(maxBytes)} MiB cap for a file read from an artifact");

    private static string Mib(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString(bytes < 10L << 20 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture);
}
