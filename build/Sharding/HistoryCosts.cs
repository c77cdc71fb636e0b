using Filare.Perf.History;

namespace Filare.Perf.Sharding;

/// <summary>The shard split's measured costs: each record's <see cref="HistoryRecord.CostSeconds"/>.</summary>
public static class HistoryCosts
{
    public static IEnumerable<MeasuredCost> Of(IEnumerable<HistoryRecord> records) =>
        records.Where(r => r.CostSeconds is > 0).Select(r => new MeasuredCost(r.Scenario, r.Branch, r.Date, r.CostSeconds!.Value));

    /// <summary>Every record of a history folder (<c>&lt;branch&gt;/history.jsonl</c>); a missing
    /// or unreadable one is a note, never a failure: the split falls back.</summary>
    public static IReadOnlyList<MeasuredCost> ReadFolder(string? folder, ICollection<string> notes)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }
        var history = new HistoryFolder(folder);
        var costs = new List<MeasuredCost>();
        foreach (var branch in history.Branches())
        {
            try
            {
                costs.AddRange(Of(history.Read(branch).Records));
            }
            catch (Exception e) when (e is HistoryFormatException or IOException or ArgumentException)
            {
                notes.Add($"shard costs: {branch}'s history is not read ({e.Message}); its scenarios fall back to cost: or an equal share");
            }
        }
        return costs;
    }
}
