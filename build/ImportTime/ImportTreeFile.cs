using System.Text.Json;
using System.Text.Json.Serialization;
using Filare.Perf.Storage;

namespace Filare.Perf.ImportTime;

/// <summary>
/// &lt;label&gt;-&lt;scenario&gt;-importtime.json (docs/performance/profilers.md): the import tree with
/// module, self µs, cumulative µs, parent, depth and in how many runs it was seen. Versioned: it
/// crosses a boundary (the report reads it back, possibly from a downloaded artifact).
/// </summary>
public static class ImportTreeFile
{
    public const string SchemaName = "filare-perf/importtime";
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(string path, ImportTree tree) =>
        AtomicFile.WriteAllText(path,
            JsonSerializer.Serialize(new Document(SchemaName, CurrentVersion, tree.Runs, tree.TotalUs, tree.Modules, tree.RunTotalsUs), s_json));

    /// <summary>The tree, or null with why when the file is missing, over <see cref="CappedFile.MaxProfileBytes"/>, not ours, or of another version.</summary>
    public static ImportTree? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            var document = JsonSerializer.Deserialize<Document>(CappedFile.ReadAllText(path), s_json);
            if (document is null || document.Schema != SchemaName || document.SchemaVersion != CurrentVersion || document.Modules is null)
            {
                problem = $"{path}: not a {SchemaName} v{CurrentVersion} file";
                return null;
            }
            return new ImportTree(document.Modules.Where(m => m?.Module is not null).ToList(), Math.Max(1, document.Runs), document.RunTotalsUs);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or InvalidDataException)
        {
            problem = $"{path}: {e.Message}";
            return null;
        }
    }

    /// <param name="RunTotalsUs">Added in v1 without a version bump (optional; a file without it reads as one value per side, never as a change).</param>
    private sealed record Document(string Schema, int SchemaVersion, int Runs, long TotalUs, IReadOnlyList<ImportModule> Modules,
        IReadOnlyList<long>? RunTotalsUs = null);
}
