using Filare.Perf.Checkout;
using Filare.Perf.Results;

namespace Filare.Perf.Scenarios;

/// <summary>How a side's runnable scenarios start Python, as the identity probe needs it: their interpreter, console script, cwd and exact variables.</summary>
public static class SideLaunches
{
    public static SideCode Of(string name, IReadOnlyList<PreparedScenario> scenarios, string root, string? commit,
        IReadOnlyDictionary<string, string> environment) =>
        new(name, [.. scenarios.Where(s => s.SkipReason is null && s.Arguments.Count > 0).Select(s => Launch(s, environment)).OfType<Launch>()], root, commit,
            TerminalEnvironment.Apply(environment));

    private static Launch? Launch(PreparedScenario scenario, IReadOnlyDictionary<string, string> environment)
    {
        var argv = scenario.Argv(Path.GetTempPath());
        if (argv[0] != scenario.Interpreter)
        {
            // Not run by the Python interpreter (a native program): nothing to probe.
            return null;
        }
        var script = argv.Count > 1 && !argv[1].StartsWith('-') && PythonProgram.IsPythonScript(argv[1]) ? argv[1] : null;
        var variables = scenario.Request(SampleKind.Run, 0, argv, Path.GetTempPath(), Path.GetTempPath(), environment).Environment;
        return new Launch(argv[0], script, scenario.WorkingDirectory, variables);
    }
}
