using Filare.Perf.History;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Sharding;

/// <summary>
/// Each selected scenario's expected cost, from the best source there is: its last nightly record
/// (<see cref="HistoryRecord.CostSeconds"/>), else its file's <c>cost:</c>, else an equal share.
/// </summary>
public static class ScenarioCosts
{
    /// <summary>The cost of a scenario nobody has measured or estimated: about what one of Filare's took in the issue-22 run (18:47 for six).</summary>
    public const double DefaultSeconds = 180;

    /// <param name="history">Records of any branches; those of <paramref name="preferredBranch"/> win, then the newest.</param>
    public static IReadOnlyList<ScenarioCost> Resolve(IReadOnlyList<Scenario> selected, IEnumerable<HistoryRecord> history, string? preferredBranch)
    {
        var measured = history
            .Where(r => r.CostSeconds is > 0)
            .GroupBy(r => r.Scenario, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(r => r.Branch == preferredBranch).ThenByDescending(r => r.Date).First().CostSeconds!.Value,
                StringComparer.OrdinalIgnoreCase);
        return selected.Select(s =>
                measured.TryGetValue(s.Name, out var seconds) ? new ScenarioCost(s.Name, seconds, CostSource.History)
                : s.Cost is { } estimate ? new ScenarioCost(s.Name, estimate.TotalSeconds, CostSource.ScenarioFile)
                : new ScenarioCost(s.Name, DefaultSeconds, CostSource.Default))
            .ToList();
    }

    /// <summary>Every record of a history folder (<c>&lt;branch&gt;/history.jsonl</c>); a missing or unreadable one is a note, never a failure: the split falls back.</summary>
    public static IReadOnlyList<HistoryRecord> ReadFolder(string? folder, ICollection<string> notes)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }
        var history = new HistoryFolder(folder);
        var records = new List<HistoryRecord>();
        foreach (var branch in history.Branches())
        {
            try
            {
                records.AddRange(history.Read(branch).Records);
            }
            catch (Exception e) when (e is HistoryFormatException or IOException or ArgumentException)
            {
                notes.Add($"shard costs: {branch}'s history is not read ({e.Message}); its scenarios fall back to cost: or an equal share");
            }
        }
        return records;
    }
}
