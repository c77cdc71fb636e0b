using System.Text.Json;
using System.Text.Json.Serialization;
using Filare.Perf.Storage;

namespace Filare.Perf.Results;

/// <summary>Holds the run's metrics and writes metrics.json atomically after every change.</summary>
public sealed class MetricsStore
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new NonFiniteAsNull() },
    };

    // Passes after Measure save scenarios from parallel runs: one change at a time, each written whole.
    private readonly Lock _gate = new();

    public MetricsStore(string runFolder, RunMetrics initial)
    {
        RunFolder = runFolder;
        Current = initial;
        Save();
    }

    public string RunFolder { get; }

    public string FilePath => Path.Combine(RunFolder, RunMetrics.FileName);

    public RunMetrics Current { get; private set; }

    public void Update(ScenarioResult scenario)
    {
        lock (_gate)
        {
            Replace(scenario);
        }
    }

    private void Replace(ScenarioResult scenario)
    {
        var scenarios = Current.Scenarios.ToList();
        var index = scenarios.FindIndex(s => s.Name == scenario.Name);
        if (index >= 0)
        {
            scenarios[index] = scenario;
        }
        else
        {
            scenarios.Add(scenario);
        }
        Current = Current with { Scenarios = scenarios };
        Save();
    }

    public void SetCompare(CompareRun compare)
    {
        Current = Current with { Compare = compare };
        Save();
    }

    public void SetSide(SideKind side, SideEnvironment environment)
    {
        Current = Current with { Sides = new Dictionary<string, SideEnvironment>(Current.Sides ?? new Dictionary<string, SideEnvironment>(),
            StringComparer.Ordinal) { [side.Key()] = environment } };
        Save();
    }

    public void SetStorage(StorageRecord storage)
    {
        Current = Current with { Storage = storage };
        Save();
    }

    public void Finish(RunState status, DateTimeOffset finishedAt)
    {
        Current = Current with { Status = status, FinishedAt = finishedAt };
        Save();
    }

    /// <summary>Every string cleaned on the way in (<see cref="MetricsText"/>): files from a PR's artifact are written by its code.</summary>
    public static RunMetrics Read(string path)
    {
        if (new FileInfo(path).Length > MetricsText.MaxFileBytes)
        {
            throw new InvalidDataException($"{path} is larger than {MetricsText.MaxFileBytes >> 20} MiB: not a metrics.json.");
        }
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path));
        return MetricsText.Clean(node).Deserialize<RunMetrics>(JsonOptions)
            ?? throw new InvalidDataException($"{path} holds no metrics.");
    }

    private void Save() => AtomicFile.WriteAllText(FilePath, JsonSerializer.Serialize(Current, JsonOptions) + "\n");
}
