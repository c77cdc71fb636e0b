using System.Globalization;
using System.Text.Json;

namespace Filare.Perf.Flamegraphs;

/// <summary>
/// py-spy's speedscope file as collapsed stacks: every sampled profile (one per thread) merged,
/// one count per sample, frames named as py-spy's raw output names them ("name (file:line)",
/// the file's base name), so a speedscope side and a raw side compare.
/// </summary>
public static class Speedscope
{
    public static CollapsedStacks? ToCollapsed(string json, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("shared", out var shared) || !shared.TryGetProperty("frames", out var framesElement)
                || !root.TryGetProperty("profiles", out var profiles))
            {
                problem = "not a speedscope file (no shared.frames or profiles)";
                return null;
            }
            var frames = framesElement.EnumerateArray().Select(Label).ToList();
            var stacks = new List<KeyValuePair<string, long>>();
            foreach (var profile in profiles.EnumerateArray())
            {
                if (!profile.TryGetProperty("samples", out var samples) || samples.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }
                foreach (var sample in samples.EnumerateArray())
                {
                    var names = sample.EnumerateArray().Select(i => i.TryGetInt32(out var index) && index >= 0 && index < frames.Count ? frames[index] : "?")
                        .ToList();
                    if (names.Count > 0)
                    {
                        stacks.Add(KeyValuePair.Create(string.Join(';', names), 1L));
                    }
                }
            }
            return CollapsedStacks.From(stacks);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problem = $"not a speedscope file: {e.Message}";
            return null;
        }
    }

    private static string Label(JsonElement frame)
    {
        var name = frame.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "?";
        var file = frame.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? Path.GetFileName(f.GetString()!) : "";
        var line = frame.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt64(out var value) ? value : 0;
        var label = line > 0 ? $"{name} ({file}:{line.ToString(CultureInfo.InvariantCulture)})" : file.Length > 0 ? $"{name} ({file})" : name;
        return label.Replace(';', ',');
    }
}
