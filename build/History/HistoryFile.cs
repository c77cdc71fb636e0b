using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Filare.Perf.Git;
using Filare.Perf.Results;

namespace Filare.Perf.History;

/// <summary>A history file a build cannot read safely: a record of a schema version it does not know.</summary>
public sealed class HistoryFormatException(string message) : Exception(message);

/// <summary>What a history file held: the records it could read, and a warning per line it could not.</summary>
public sealed record HistoryContent(IReadOnlyList<HistoryRecord> Records, IReadOnlyList<string> Warnings);

/// <summary>
/// JSON lines, one <see cref="HistoryRecord"/> a line, appended in run order. A line that is not a
/// record is skipped with a warning naming the file and line (one bad write must not hide a year of
/// nights); a record of an unknown schema version stops the read, since guessing its meaning could
/// turn a change of format into a change point.
/// </summary>
public static class HistoryFile
{
    private static readonly JsonSerializerOptions s_line = new(MetricsStore.JsonOptions) { WriteIndented = false };

    public static string Line(HistoryRecord record) => JsonSerializer.Serialize(record, s_line);

    public static HistoryContent Parse(string text, string file)
    {
        var records = new List<HistoryRecord>();
        var warnings = new List<string>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var (record, warning) = ParseLine(line, file, number);
            if (record is not null)
            {
                records.Add(record);
            }
            if (warning is not null)
            {
                warnings.Add(warning);
            }
        }
        return new HistoryContent(records, warnings);
    }

    public static HistoryContent Read(string path) => File.Exists(path) ? Parse(File.ReadAllText(path), path) : new HistoryContent([], []);

    /// <summary>
    /// The file's text with the records it does not hold yet appended (a re-run job appends nothing
    /// twice). Lines it cannot read are kept as they are: the history is not ours to rewrite.
    /// </summary>
    public static (string Text, int Added) Append(string existing, IEnumerable<HistoryRecord> records, string file)
    {
        var known = Parse(existing, file).Records.Select(r => r.Key).ToHashSet();
        var text = new StringBuilder(existing);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
        var added = 0;
        foreach (var record in records)
        {
            if (known.Add(record.Key))
            {
                text.Append(Line(record)).Append('\n');
                added++;
            }
        }
        return (text.ToString(), added);
    }

    private static (HistoryRecord? Record, string? Warning) ParseLine(string line, string file, int number)
    {
        JsonObject? node;
        try
        {
            node = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException e)
        {
            return (null, $"{file}: line {number} skipped: not JSON ({e.Message})");
        }
        if (node is null)
        {
            return (null, $"{file}: line {number} skipped: not a JSON object");
        }
        if (node["schema"]?.GetValueKind() != JsonValueKind.String || (string?)node["schema"] != HistoryRecord.SchemaName)
        {
            return (null, $"{file}: line {number} skipped: not a {HistoryRecord.SchemaName} record");
        }
        if (node["schemaVersion"] is not JsonValue version || !version.TryGetValue<int>(out var v))
        {
            return (null, $"{file}: line {number} skipped: no schemaVersion");
        }
        if (v != HistoryRecord.CurrentVersion)
        {
            throw new HistoryFormatException($"{file}: line {number} is a {HistoryRecord.SchemaName} record of schema version " +
                $"{v}; this build reads version {HistoryRecord.CurrentVersion} only. Use a build that knows version {v}.");
        }
        try
        {
            var record = node.Deserialize<HistoryRecord>(s_line);
            var missing = record is null ? "record" : Missing(record);
            return missing is null ? (record, null) : (null, $"{file}: line {number} skipped: no {missing}");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return (null, $"{file}: line {number} skipped: {e.Message}");
        }
    }

    /// <summary>System.Text.Json leaves a missing property null even where the record says it cannot be.</summary>
    private static string? Missing(HistoryRecord record) =>
        record.Branch is null ? "branch"
        : record.Scenario is null ? "scenario"
        : record.Commit is null ? "commit"
        : record.Runner?.CpuModel is null ? "runner.cpuModel"
        : record.Python?.Version is null ? "python.version"
        : record.Status is null ? "status"
        : record.RunLabel is null ? "runLabel"
        : !CommitSha.IsFull(record.Commit) ? "40-hex commit"
        : HistoryIntake.BranchProblem(record.Branch, []) is not null ? "valid branch name"
        : !HistoryIntake.IsScenarioName(record.Scenario) ? "valid scenario name"
        : null;
}
