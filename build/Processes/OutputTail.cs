using System.Text;

namespace Filare.Perf.Processes;

/// <summary>The end of a process's output: where its error is, short enough for a message or a table cell.</summary>
public static class OutputTail
{
    public const int Lines = 20;

    /// <summary>The last <see cref="Lines"/> lines of a text.</summary>
    public static string Of(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - Lines))).Trim();
    }

    /// <summary>The last 16 KiB of a file, or nothing when it is not there.</summary>
    public static string Read(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        // Only the end matters and a failing run can log megabytes.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = Math.Min(stream.Length, 16 * 1024);
        stream.Seek(-length, SeekOrigin.End);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        return Encoding.UTF8.GetString(buffer);
    }
}
