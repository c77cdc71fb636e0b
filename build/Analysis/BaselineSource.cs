using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>A baseline run read from disk: a metrics.json, or a folder holding exactly one.</summary>
public static class BaselineSource
{
    public static (RunMetrics? Metrics, string Origin, string? Problem) FromPath(string path)
    {
        string? file = File.Exists(path) ? path : null;
        if (file is null && Directory.Exists(path))
        {
            var found = Directory.EnumerateFiles(path, RunMetrics.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            if (found.Count > 1 && Shards(found) is { } merged)
            {
                return merged;
            }
            if (found.Count > 1)
            {
                return (null, path, $"{path} holds {found.Count} runs " +
                    $"({string.Join(", ", found.Select(f => Path.GetFileName(Path.GetDirectoryName(f))))}); name one folder or metrics.json");
            }
            file = found.SingleOrDefault();
        }
        if (file is null)
        {
            return (null, path, $"no {RunMetrics.FileName} at {path}");
        }
        try
        {
            var metrics = MetricsStore.Read(file);
            return metrics.SchemaVersion > RunMetrics.CurrentVersion
                ? (null, file, $"{file} has schema version {metrics.SchemaVersion}; this harness reads up to {RunMetrics.CurrentVersion}")
                : (metrics, file, null);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
        {
            return (null, file, $"{file} is not readable metrics: {e.Message}");
        }
    }

    /// <summary>A folder holding the shards of one run (a sharded run's artifacts) is that run, merged; else null.</summary>
    private static (RunMetrics? Metrics, string Origin, string? Problem)? Shards(IReadOnlyList<string> files)
    {
        try
        {
            var runs = files.Select(f => new FoundRun(f, "", MetricsStore.Read(f))).ToList();
            var groups = ShardMerge.Group(runs);
            return groups is [{ Shards.Count: > 0 } run] && run.Metrics.SchemaVersion <= RunMetrics.CurrentVersion
                ? (run.Metrics, files[0], ShardMerge.Problems(run) is [var first, ..] ? first : null)
                : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }
}
