using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Filare.Perf.Flamegraphs;

/// <summary>
/// Samples in Brendan Gregg's collapsed ("folded") form: one line per distinct stack, frames root
/// first joined by ';', then a space and a count. py-spy's `--format raw` writes exactly this
/// (in hash order, so order means nothing); stackcollapse-*.pl and inferno-collapse write it too.
/// </summary>
public sealed partial class CollapsedStacks
{
    private readonly Dictionary<string, long> _counts;

    private CollapsedStacks(Dictionary<string, long> counts, int malformed)
    {
        _counts = counts;
        Malformed = malformed;
    }

    /// <summary>Stack (frames joined by ';', root first) to its summed count.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Lines that were not "stack count": skipped, not fatal (a truncated file still shows what it holds).</summary>
    public int Malformed { get; }

    public long Total => _counts.Values.Sum();

    public static CollapsedStacks Empty { get; } = new([], 0);

    public static CollapsedStacks From(IEnumerable<KeyValuePair<string, long>> stacks)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (stack, count) in stacks)
        {
            if (count > 0 && stack.Length > 0)
            {
                counts[stack] = counts.GetValueOrDefault(stack) + count;
            }
        }
        return new CollapsedStacks(counts, 0);
    }

    /// <summary>A file this process's own profiler wrote (one from an artifact is read through Storage.CappedFile, then parsed).</summary>
    public static CollapsedStacks Read(string path) => Parse(File.ReadAllText(path));

    public static CollapsedStacks Parse(string text)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var malformed = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }
            // The count is after the last space: frame names may hold spaces ("<module> (x.py:3)").
            var space = line.LastIndexOf(' ');
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                malformed++;
                continue;
            }
            var stack = line[..space].TrimEnd();
            if (stack.Length == 0)
            {
                malformed++;
                continue;
            }
            counts[stack] = counts.GetValueOrDefault(stack) + count;
        }
        return new CollapsedStacks(counts, malformed);
    }

    /// <summary>
    /// The same samples with "name (file:line)" folded to "name (file)": py-spy names a frame by the
    /// line executing in it, so code that merely moved would otherwise look like a path that vanished
    /// and a new one. Differential views compare functions, as flamegraph.pl's users do with --nolineno.
    /// </summary>
    public CollapsedStacks WithoutLineNumbers() =>
        From(_counts.Select(pair => KeyValuePair.Create(
            string.Join(';', pair.Key.Split(';').Select(frame => LineNumber().Replace(frame, ")"))), pair.Value)));

    /// <summary>Sorted, so two runs with the same samples write the same file.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        foreach (var (stack, count) in _counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(stack).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    [GeneratedRegex(@":\d+\)$")]
    private static partial Regex LineNumber();
}
