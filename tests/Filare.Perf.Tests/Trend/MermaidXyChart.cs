using System.Globalization;
using System.Text.RegularExpressions;

namespace Filare.Perf.Tests.Trend;

/// <summary>
/// A structural check of the xychart-beta subset the trend charts use (no Mermaid parser runs
/// offline here): the header, a quoted title, one quoted label per night, a quoted y-axis title,
/// and lines of exactly one number per night. Returns the problems; none means it is well formed.
/// </summary>
public static partial class MermaidXyChart
{
    public static IReadOnlyList<string> Problems(string chart)
    {
        var problems = new List<string>();
        var lines = chart.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        if (lines.Count == 0 || lines[0] != "xychart-beta")
        {
            return ["the first line is not xychart-beta"];
        }
        var labels = -1;
        var series = 0;
        foreach (var line in lines.Skip(1))
        {
            if (Title().Match(line) is { Success: true })
            {
                continue;
            }
            if (XAxis().Match(line) is { Success: true } x)
            {
                labels = Quoted().Matches(x.Groups[1].Value).Count;
                if (Quoted().Replace(x.Groups[1].Value, "").Trim().Trim(',').Replace(",", "", StringComparison.Ordinal).Trim().Length > 0)
                {
                    problems.Add($"x-axis has something other than quoted labels: {line}");
                }
                continue;
            }
            if (YAxis().IsMatch(line))
            {
                continue;
            }
            if (Line().Match(line) is { Success: true } values)
            {
                var numbers = values.Groups[1].Value.Split(',').Select(v => v.Trim()).ToList();
                if (numbers.Any(n => !double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                {
                    problems.Add($"a line holds something other than numbers: {line}");
                }
                if (numbers.Count != labels)
                {
                    problems.Add($"a line has {numbers.Count} values for {labels} x labels");
                }
                series++;
                continue;
            }
            problems.Add($"not xychart-beta syntax: {line}");
        }
        if (labels < 1)
        {
            problems.Add("no x-axis labels");
        }
        if (series == 0)
        {
            problems.Add("no line");
        }
        return problems;
    }

    [GeneratedRegex("""^title "[^"\[\]`<>]*"$""")]
    private static partial Regex Title();

    [GeneratedRegex("""^x-axis \[(.*)\]$""")]
    private static partial Regex XAxis();

    [GeneratedRegex("""^y-axis "[^"\[\]`<>]*"( -?[0-9.]+ --> -?[0-9.]+)?$""")]
    private static partial Regex YAxis();

    [GeneratedRegex("""^line \[([^\]]*)\]$""")]
    private static partial Regex Line();

    [GeneratedRegex("\"[^\"\\[\\]`<>]*\"")]
    private static partial Regex Quoted();
}
