using System.Collections;
using Filare.Perf.Engine;
using Filare.Perf.Results;
using Spectre.Console;

namespace Filare.Perf.Tests.Support;

public sealed record BuildOutcome(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>
/// A throwaway build root that is also a (stand-in) Filare checkout: .nuke/, scenarios/,
/// a pyproject.toml naming 'filare', and the fixture program at its top. Builds run in-process.
/// </summary>
public sealed class TestRoot : IDisposable
{
    public TestRoot()
    {
        Path = Directory.CreateTempSubdirectory("filare-perf-test-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, ".nuke"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "scenarios"));
        File.WriteAllText(System.IO.Path.Combine(Path, "pyproject.toml"), "[project]\nname = \"filare\"\n");
        File.Copy(Repository.Fixture, System.IO.Path.Combine(Path, "perf_fixture.py"));
    }

    public string Path { get; }

    /// <summary>GitHub's API for the builds this root runs; null leaves them without network access to it.</summary>
    public HttpMessageHandler? GitHub { get; set; }

    public string File_(string relative) => System.IO.Path.Combine(Path, relative);

    public TestRoot Scenario(string name, string yaml)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, "scenarios", name + ".yml"), yaml);
        return this;
    }

    /// <summary>A scenario running the fixture program with these arguments.</summary>
    public TestRoot FixtureScenario(string name, string fixtureArguments, int runs = 2, int warmups = 0, double timeout = 60, string tags = "[fixture]")
    {
        var args = string.Join(", ", fixtureArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => $"\"{a}\""));
        return Scenario(name, $$"""
            name: {{name}}
            description: fixture {{fixtureArguments}}
            tags: {{tags}}
            command: [python, "{root}/perf_fixture.py", {{args}}]
            runs: {{runs}}
            warmups: {{warmups}}
            timeout: {{timeout.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
            """);
    }

    public Task<BuildOutcome> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    public Task<BuildOutcome> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, TestContext.Current.CancellationToken, args);

    public async Task<BuildOutcome> RunAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellation, params string[] args)
    {
        var captured = new CapturedConsole(240);
        var console = captured.Console;
        var context = new BuildContext(Path, CleanEnvironment(environment), console, cancellation, GitHub is null ? null : () => GitHub);
        var exitCode = await Build.RunAsync(args, context);
        return new BuildOutcome(exitCode, captured.Text);
    }

    /// <summary>The machine's environment without FIL_PERF_* (a developer's own settings must not leak in) or CI.</summary>
    public static Dictionary<string, string> CleanEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value ?? ""))
            .Where(e =>
                !e.Item1.StartsWith("FIL_PERF_", StringComparison.Ordinal) && !e.Item1.StartsWith("GITHUB_", StringComparison.Ordinal) && e.Item1 is not "CI")
            .ToDictionary(e => e.Item1, e => e.Item2, StringComparer.Ordinal);
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        return environment;
    }

    public string RunFolder(string label = "local") => System.IO.Path.Combine(Path, "outputs", "perf", label);

    public RunMetrics Metrics(string label = "local") => MetricsStore.Read(System.IO.Path.Combine(RunFolder(label), RunMetrics.FileName));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
