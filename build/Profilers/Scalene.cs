using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Results;

namespace Filare.Perf.Profilers;

/// <summary>
/// Scalene: line-level CPU (Python vs native) and memory. Runs inside the profiled interpreter and
/// changed its command line in 2.x, so the version decides the command:
/// 1.x: python -m scalene --cli --json --outfile F.json ... script --- args (HTML is a second run with --html);
/// 2.x: python -m scalene run -o F.json ... script --- args, then scalene view --html --standalone F.json.
/// The program goes through run_program.py with its command line in a spec file: 1.x reorders a
/// program's own --options (parse_known_args), and the spec also records the real exit status.
/// </summary>
public sealed partial class Scalene(ScaleneSettings settings) : IProfiler
{
    public const string Name = ProfilerNames.Scalene;

    public const string TooShort = "did not run for long enough to profile";

    public string Tool => Name;

    public string? Package => "scalene";

    public async Task<ToolProbe> ProbeAsync(PythonEnvironment python, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        const string hint = "pip install scalene (or uv pip install scalene, or apt install python3-scalene " +
            "for Debian's python3) into the profiled environment, or ./build.sh PerfSetup --install-profilers";
        // 1.x prints its version and exits 255; 2.x exits 0. The text decides, not the exit code.
        var probe = await ToolProcess.RunAsync(python.Executable, ["-m", "scalene", "--version"], "/", TimeSpan.FromSeconds(60), cancellation, environment)
            .ConfigureAwait(false);
        var match = VersionText().Match(probe.StandardOutput + probe.StandardError);
        return match.Success
            ? new ToolProbe(true, match.Groups[1].Value, python.Executable, hint)
            : ToolProbe.Missing(hint);
    }

    public static int Generation(string version) =>
        int.TryParse(version.Split('.')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var major) ? major : 1;

    /// <summary>The profiling command for a Scalene version; <paramref name="html"/> asks 1.x for its HTML report instead of JSON.</summary>
    public IReadOnlyList<string> Command(string version, string interpreter, string output, bool html, string runner, string spec)
    {
        var options = new List<string>
        {
            "--cpu-sampling-rate", settings.CpuRate.ToString(CultureInfo.InvariantCulture),
            settings.Memory ? "--memory" : "--cpu-only",
            "--profile-all",
        };
        if (settings.ProfileOnly.Length > 0)
        {
            options.AddRange(["--profile-only", settings.ProfileOnly]);
        }
        var head = Generation(version) >= 2
            ? new List<string> { interpreter, "-m", "scalene", "run", "-o", output }
            : new List<string> { interpreter, "-m", "scalene", "--cli", html ? "--html" : "--json", "--outfile", output };
        return [.. head, .. options, runner, "---", "@" + spec];
    }

    public async Task<ProfilerRun> ProfileAsync(ProfilingContext context, CancellationToken cancellation)
    {
        if (context.Program(Tool, out var reason) is not { } program)
        {
            return ProfilerRun.Skipped(Tool, reason!);
        }
        var version = context.Tool.Version ?? "1";
        var work = context.WorkFolder(Tool);
        Directory.CreateDirectory(work);
        var status = Path.Combine(work, "status.txt");
        var spec = Path.Combine(work, "program.json");
        await File.WriteAllTextAsync(spec, new JsonObject
        {
            ["status"] = status,
            ["target"] = new JsonArray(program.Target.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        }.ToJsonString(), cancellation).ConfigureAwait(false);
        var json = context.ArtifactPath(Tool, "json");
        var runner = PythonEnvironment.Helper("run_program.py");
        var interpreter = context.Scenario.Interpreter;

        var sample = await context.RunAsync(Tool, Command(version, interpreter, json, html: false, runner, spec), cancellation).ConfigureAwait(false);
        var result = new ProfilerResult(Tool, context, sample) { ProgramExitCode = ProfilingContext.ProgramExitCode(status) };
        if (result.Broken() is { } broken)
        {
            return broken;
        }
        var messages = context.Stdout(sample) + "\n" + context.Stderr(sample);
        // 1.x exits 0 even when the script is missing: the JSON says whether anything was profiled.
        if (messages.Contains(TooShort, StringComparison.Ordinal) || IsEmpty(json))
        {
            result.Keep("json", json);
            return messages.Contains(TooShort, StringComparison.Ordinal) || result.ProgramExitCode == 0
                ? result.With(ProfilerStatus.Empty, "run too short for Scalene to sample")
                : result.With(ProfilerStatus.Failed, $"Scalene wrote no profile (exit {sample.ExitCode}): {OutputTail.Of(messages)}");
        }
        result.Keep("json", json);

        if (settings.Html)
        {
            await RenderHtmlAsync(context, version, interpreter, json, runner, spec, result, cancellation).ConfigureAwait(false);
        }
        return result.Finished();
    }

    private async Task RenderHtmlAsync(ProfilingContext context, string version, string interpreter, string json, string runner, string spec,
        ProfilerResult result, CancellationToken cancellation)
    {
        var html = context.ArtifactPath(Tool, "html");
        if (Generation(version) >= 2)
        {
            // 2.x renders the JSON it already wrote (no second profiled run), always into
            // ./scalene-profile.html, so it runs in the profiler's own folder.
            var folder = context.WorkFolder(Tool);
            var view = await ToolProcess.RunAsync(interpreter, ["-m", "scalene", "view", "--html", "--standalone", json], folder, TimeSpan.FromMinutes(5),
                cancellation, context.Environment).ConfigureAwait(false);
            var written = Path.Combine(folder, "scalene-profile.html");
            if (view.Succeeded && File.Exists(written))
            {
                File.Move(written, html, overwrite: true);
            }
            if (!result.Keep("html", html))
            {
                result.Note($"scalene view --html failed (exit {view.ExitCode}): {OutputTail.Of(view.StandardError + view.StandardOutput)}");
            }
            return;
        }
        // 1.x cannot convert JSON to HTML: profile once more, writing HTML.
        var second = await context.RunAsync(Tool + "-html", Command(version, interpreter, html, html: true, runner, spec), cancellation).ConfigureAwait(false);
        if (!result.Keep("html", html))
        {
            result.Note($"Scalene's HTML run wrote nothing (exit {second.ExitCode}): {OutputTail.Of(context.Stderr(second))}");
        }
    }

    private static bool IsEmpty(string json)
    {
        if (!File.Exists(json))
        {
            return true;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(json));
            return document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.EnumerateObject().Any()
                || (document.RootElement.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Object && !files.EnumerateObject().Any());
        }
        catch (JsonException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"Scalene version (\d+(?:\.\d+)*)")]
    private static partial Regex VersionText();
}
