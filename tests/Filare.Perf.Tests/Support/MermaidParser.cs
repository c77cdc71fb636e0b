using System.Text.RegularExpressions;
using Filare.Perf.Processes;

namespace Filare.Perf.Tests.Support;

/// <summary>
/// Mermaid's own parser (.ci/mermaid-parse.mjs, npm mermaid with jsdom), offline: what GitHub would
/// refuse to draw. Tests skip when `npm ci --prefix .ci` has not run; .ci/run runs it.
/// </summary>
public static partial class MermaidParser
{
    private static readonly Dictionary<string, string> s_path = new() { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" };

    public static void SkipUnlessInstalled() =>
        Assert.SkipUnless(
            Directory.Exists(Path.Combine(Repository.Root, ".ci", "node_modules", "mermaid")) && ToolProcess.Which("node", s_path) is not null,
            "mermaid is not installed: npm ci --prefix .ci (.ci/run does it)");

    public static IReadOnlyList<string> Blocks(string markdown) => Block().Matches(markdown).Select(m => m.Groups[1].Value).ToList();

    /// <summary>One JSON line per chart, in order: {"file", "ok", "type"|"error"}.</summary>
    public static async Task<IReadOnlyList<string>> ParseAsync(IReadOnlyList<string> charts)
    {
        var folder = Directory.CreateTempSubdirectory("mermaid-").FullName;
        try
        {
            var files = charts.Select((chart, i) => Path.Combine(folder, $"{i}.mmd")).ToList();
            for (var i = 0; i < charts.Count; i++)
            {
                await File.WriteAllTextAsync(files[i], charts[i], TestContext.Current.CancellationToken);
            }
            var script = Path.Combine(Repository.Root, ".ci", "mermaid-parse.mjs");
            var result = await ToolProcess.RunAsync(ToolProcess.Which("node", s_path)!, [script, .. files], folder, TimeSpan.FromMinutes(2),
                TestContext.Current.CancellationToken);
            var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == charts.Count, result.StandardOutput + result.StandardError);
            return lines;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("```mermaid\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
