using Filare.Perf.Checkout;
using Filare.Perf.Measurement;
using Filare.Perf.Results;

namespace Filare.Perf.Scenarios;

/// <summary>
/// A scenario bound to a Filare checkout and interpreter: program resolved, globs expanded and the
/// working directory known. Only {output} is left, because each run gets a fresh folder.
/// </summary>
public sealed record PreparedScenario(
    Scenario Scenario,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    string FilareRoot,
    string Interpreter,
    IReadOnlyDictionary<string, string> Environment,
    string? SkipReason)
{
    public string Name => Scenario.Name;

    public IReadOnlyList<string> Argv(string outputDirectory) =>
        Arguments.Select(a => Placeholders.Expand(a, Values(outputDirectory))).ToList();

    /// <summary>A run of this scenario: the harness's environment with the scenario's own variables on top.</summary>
    public RunRequest Request(SampleKind kind, int index, IReadOnlyList<string> argv, string runDirectory, string outputDirectory,
        IReadOnlyDictionary<string, string> inherited)
    {
        var environment = TerminalEnvironment.Apply(inherited);
        foreach (var (name, value) in Environment)
        {
            environment[name] = Placeholders.Expand(value, Values(outputDirectory));
        }
        return new RunRequest(kind, index, argv, WorkingDirectory, environment, runDirectory, outputDirectory, Scenario.Timeout, Scenario.ExitMeanings);
    }

    private Dictionary<string, string> Values(string outputDirectory) => new()
    {
        [Placeholders.Output] = outputDirectory,
        [Placeholders.Root] = FilareRoot,
    };

    public static PreparedScenario Prepare(Scenario scenario, FilareCheckout filare, PythonEnvironment python, IReadOnlyDictionary<string, string> environment)
    {
        var workdir = Path.GetFullPath(scenario.WorkingDirectory, filare.Root);
        var errors = new List<string>();
        if (!Directory.Exists(workdir))
        {
            errors.Add($"{scenario.Where}: workdir '{scenario.WorkingDirectory}' does not exist under {filare.Root}.");
        }

        foreach (var path in scenario.TestPaths.Where(p => Directory.Exists(workdir) && !Path.Exists(Path.Combine(workdir,
            Placeholders.Expand(p, new Dictionary<string, string> { [Placeholders.Root] = filare.Root, [Placeholders.Output] = "" })))))
        {
            errors.Add($"{scenario.Where}: pytest path '{path}' does not exist under {workdir}.");
        }

        var arguments = new List<string>();
        foreach (var part in scenario.Command)
        {
            switch (part)
            {
                case LiteralPart literal:
                    arguments.Add(literal.Text);
                    break;
                case GlobPart glob:
                    var matches = Directory.Exists(workdir) ? Glob.Expand(workdir, glob.Pattern) : [];
                    if (matches.Count == 0)
                    {
                        errors.Add($"{scenario.Where}: glob '{glob.Pattern}' matched no file under {workdir}.");
                    }
                    // Braces in file names must not be read as placeholders later.
                    arguments.AddRange(matches.Select(Escape));
                    break;
            }
        }

        var skip = WhySkipped(scenario, filare, python);
        if (skip is null && arguments.Count > 0)
        {
            var program = arguments[0];
            arguments.RemoveAt(0);
            arguments.InsertRange(0, ResolveProgram(program, scenario, workdir, python, environment, errors));
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }
        return new PreparedScenario(scenario, arguments, workdir, filare.Root, python.Executable, scenario.Environment, skip);
    }

    /// <summary>Why the scenario cannot run on this checkout and interpreter (its version range, a missing module), or null.</summary>
    private static string? WhySkipped(Scenario scenario, FilareCheckout filare, PythonEnvironment python)
    {
        if (scenario.Filare is { } range && filare.Version() is { } version && range.Contains(version) == false)
        {
            return $"fits Filare {range.Text}; this checkout is {version}";
        }
        var missing = scenario.Requires.Where(m => !python.Modules.GetValueOrDefault(m)).ToList();
        return missing.Count > 0 ? $"{string.Join(", ", missing)} not installed in {python.Configured}" : null;
    }

    /// <summary>
    /// python → the probed interpreter; filare → its console script, run by that same interpreter
    /// (a shebang could name another one, e.g. a slow pyenv shim, and profilers need the interpreter anyway).
    /// </summary>
    private static IReadOnlyList<string> ResolveProgram(string program, Scenario scenario, string workdir, PythonEnvironment python,
        IReadOnlyDictionary<string, string> environment, List<string> errors)
    {
        if (program is "python" or "python3")
        {
            return [Escape(python.Executable)];
        }
        if (program.Contains('{', StringComparison.Ordinal))
        {
            // Still a template ({root}/...): resolved per run with the other placeholders.
            return [program];
        }
        var resolved = program.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(program, workdir) : python.ConsoleScript(program, environment);
        if (resolved is null || !File.Exists(resolved))
        {
            errors.Add(program.Contains('/', StringComparison.Ordinal)
                ? $"{scenario.Where}: program '{program}' does not exist under {workdir}."
                : $"{scenario.Where}: command '{program}' was found neither beside {python.Configured} nor on " +
                $"PATH; install Filare into that interpreter (pip install -e <filare root>) or set --python.");
            return [Escape(program)];
        }
        return PythonProgram.IsPythonScript(resolved) ? [Escape(python.Executable), Escape(resolved)] : [Escape(resolved)];
    }

    private static string Escape(string literal) => literal.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
