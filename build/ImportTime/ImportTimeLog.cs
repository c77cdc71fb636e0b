using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Filare.Perf.ImportTime;

/// <summary>One `import time:` line: a module finished importing, children before their parent.</summary>
/// <param name="Depth">Nesting level: CPython indents the name two spaces per level.</param>
public sealed record ImportRecord(string Module, long SelfUs, long CumulativeUs, int Depth);

/// <summary>
/// A process's stderr under `-X importtime` (or PYTHONPROFILEIMPORTTIME=1) split in two: CPython's
/// `import time:` lines, and everything else, which is the program's own stderr and is kept as it
/// was written. A line that starts like an import-time line but does not parse (cut off when the
/// process died, two writers mixed in one line) is counted, not fatal.
/// </summary>
public sealed partial class ImportTimeLog
{
    public const string Prefix = "import time:";

    private ImportTimeLog(IReadOnlyList<ImportRecord> records, IReadOnlyList<string> lines, string programStderr, int malformed, int headers)
    {
        Records = records;
        Lines = lines;
        ProgramStderr = programStderr;
        Malformed = malformed;
        Headers = headers;
    }

    /// <summary>In the order CPython printed them (completion order).</summary>
    public IReadOnlyList<ImportRecord> Records { get; }

    /// <summary>The import-time lines as printed, header and malformed ones included: what tuna and similar viewers read.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The program's own stderr, byte for byte apart from the import-time lines taken out.</summary>
    public string ProgramStderr { get; }

    public int Malformed { get; }

    /// <summary>Each process prints the header once: more than one means several processes' lines are mixed.</summary>
    public int Headers { get; }

    public static ImportTimeLog Parse(string stderr)
    {
        var records = new List<ImportRecord>();
        var lines = new List<string>();
        var program = new StringBuilder(stderr.Length);
        var malformed = 0;
        var headers = 0;
        var position = 0;
        while (position < stderr.Length)
        {
            var end = stderr.IndexOf('\n', position);
            var next = end < 0 ? stderr.Length : end + 1;
            var line = stderr[position..(end < 0 ? stderr.Length : end)];
            // A program line written without its newline has CPython's line glued to its end.
            var at = line.IndexOf(Prefix, StringComparison.Ordinal);
            if (at < 0 || (at > 0 && Record(line[at..]) is null))
            {
                program.Append(stderr, position, next - position);
            }
            else
            {
                program.Append(line, 0, at);
                var own = line[at..].TrimEnd('\r');
                lines.Add(own);
                if (Record(own) is { } record)
                {
                    records.Add(record);
                }
                else if (Header().IsMatch(own))
                {
                    headers++;
                }
                else
                {
                    malformed++;
                }
            }
            position = next;
        }
        return new ImportTimeLog(records, lines, program.ToString(), malformed, headers);
    }

    private static ImportRecord? Record(string line)
    {
        var match = Entry().Match(line);
        if (!match.Success
            || !long.TryParse(match.Groups["self"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var self)
            || !long.TryParse(match.Groups["cumulative"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var cumulative))
        {
            return null;
        }
        return new ImportRecord(match.Groups["module"].Value, self, cumulative, match.Groups["indent"].Length / 2);
    }

    // CPython (Python/import.c): "import time: %9ld | %10ld | %*s%s" with the indent import_level*2.
    [GeneratedRegex(@"^import time:\s*(?<self>\d+)\s*\|\s*(?<cumulative>\d+)\s*\| (?<indent> *)(?<module>[^\s|]+)\s*$")]
    private static partial Regex Entry();

    [GeneratedRegex(@"^import time:\s*self \[us\]\s*\|\s*cumulative\s*\|\s*imported package\s*$")]
    private static partial Regex Header();
}
