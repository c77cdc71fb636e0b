using System.Globalization;
using System.Text.RegularExpressions;

namespace Filare.Perf.Results;

/// <summary>The K-th of N shards (1-based), written <c>K/N</c> on the command line, in the gate's matrix and in metrics.json.</summary>
public sealed partial record ShardSpec(int Index, int Count)
{
    /// <summary>More shards than this is a typo, not a plan: GitHub runs at most 256 jobs per matrix.</summary>
    public const int MaximumCount = 256;

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>The suffix of the shard's artifacts (<c>-shard2of3</c>), after the matrix target's own.</summary>
    public string Suffix => $"-shard{Index}of{Count}";

    /// <summary>Parses <c>K/N</c>; a bad value is an error naming <paramref name="parameter"/> and what is allowed.</summary>
    public static ShardSpec Parse(string text, string parameter)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"{parameter}: '{text}' is not a shard; write K/N, the K-th of N shards (e.g. 2/3), 1 <= K <= N <= {MaximumCount}.");
        }
        var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var count = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (count < 1 || count > MaximumCount || index < 1 || index > count)
        {
            throw new FormatException($"{parameter}: '{text}' names shard {index} of {count}; write K/N with 1 <= K <= N <= {MaximumCount}.");
        }
        return new ShardSpec(index, count);
    }

    [GeneratedRegex(@"\A([0-9]{1,4})\s*/\s*([0-9]{1,4})\z")]
    private static partial Regex Pattern();
}
