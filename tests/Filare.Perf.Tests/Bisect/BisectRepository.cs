using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.Bisect;

/// <summary>
/// A git repository made from the stand-in for bisection tests, in a test root whose scenario
/// `tiny` runs the stand-in on a small input (TSV only), so a counted run is mostly start-up.
/// <see cref="SetExtra"/> changes how much work the stand-in's main() does before anything else.
/// </summary>
internal sealed class BisectRepository : IDisposable
{
    public const string Scenario = "tiny";
    private const string Marker = "def main():\n";

    public BisectRepository()
    {
        Root = new TestRoot();
        Root.Scenario(Scenario, """
            name: tiny
            description: the stand-in on a small input, TSV only
            command: [filare, run, examples/tiny.yml, -f, t, -o, "{output}"]
            runs: 1
            warmups: 0
            """);
        Filare = Path.Combine(Root.Path, "filare");
        foreach (var file in Directory.EnumerateFiles(Repository.StandIn, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("__pycache__", StringComparison.Ordinal)))
        {
            var target = Path.Combine(Filare, Path.GetRelativePath(Repository.StandIn, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.WriteAllText(Path.Combine(Filare, "examples", "tiny.yml"), "connectors:\n  X1: {pincount: 2}\n");
        var cli = Path.Combine(Filare, "src", "filare", "cli.py");
        File.WriteAllText(cli,
            File.ReadAllText(cli).Replace(Marker, "EXTRA = 0\n\n\n" + Marker + "    sum(i * i for i in range(EXTRA))\n", StringComparison.Ordinal));
        Git("init", "--quiet", "--initial-branch=master");
    }

    public TestRoot Root { get; }

    public string Filare { get; }

    private string Cli => Path.Combine(Filare, "src", "filare", "cli.py");

    /// <summary>main() first sums this many squares: work that shows in instructions.</summary>
    public void SetExtra(int extra)
    {
        var text = File.ReadAllText(Cli);
        var start = text.IndexOf("EXTRA = ", StringComparison.Ordinal);
        var end = text.IndexOf('\n', start);
        File.WriteAllText(Cli, text[..start] + $"EXTRA = {extra}" + text[end..]);
    }

    /// <summary>main() exits 3 before doing anything (true), or works again (false).</summary>
    public void SetBroken(bool broken)
    {
        var text = File.ReadAllText(Cli);
        const string exit = "    raise SystemExit(3)\n";
        File.WriteAllText(Cli, broken ? text.Replace(Marker, Marker + exit, StringComparison.Ordinal) : text.Replace(exit, "", StringComparison.Ordinal));
    }

    /// <summary>A commit that changes nothing the scenario runs.</summary>
    public string Neutral(string message)
    {
        File.AppendAllText(Path.Combine(Filare, "README.md"), message + "\n");
        return Commit(message);
    }

    public string Commit(string message)
    {
        Git("add", "-A");
        Git("-c", "user.name=Ada Tester", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments)
    {
        var result = ToolProcess.RunAsync("git", arguments, Filare, TimeSpan.FromMinutes(1), CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(result.Succeeded, $"git {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }

    public void Dispose() => Root.Dispose();
}
