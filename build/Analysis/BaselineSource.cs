using Filare.Perf.Results;

namespace Filare.Perf.Analysis;

/// <summary>What PerfReport compares with (--baseline): nothing, the last successful run on GitHub, or else a path.</summary>
public static class Baselines
{
    public const string None = "none";
    public const string Previous = "previous";

    public static readonly IReadOnlyList<string> All = [None, Previous];
}

/// <summary>A baseline run read from disk: a metrics.json, or a folder holding exactly one.</summary>
public static class BaselineSource
{
    public static (RunMetrics? Metrics, string Origin, string? Problem) FromPath(string path)
    {
        string? file = File.Exists(path) ? path : null;
        if (file is null && Directory.Exists(path))
        {
            var found = Directory.EnumerateFiles(path, RunMetrics.FileName, SearchOption.AllDirectories).ToList();
            if (found.Count > 1)
            {
                return (null, path, $"{path} holds {found.Count} runs ({string.Join(", ", found.Select(f => Path.GetFileName(Path.GetDirectoryName(f))))}); name one folder or metrics.json");
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
}
