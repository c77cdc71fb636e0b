using System.Collections;
using Spectre.Console;

namespace Filare.Perf.Engine;

/// <summary>
/// Everything a build reads from the outside world, passed in rather than read from globals so
/// tests can run whole builds in-process, side by side.
/// </summary>
public sealed record BuildContext(
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    IAnsiConsole Console,
    CancellationToken Cancellation,
    Func<HttpMessageHandler>? HttpHandler = null)
{
    public static BuildContext FromProcess(CancellationToken cancellation) => new(
        Directory.GetCurrentDirectory(),
        System.Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal),
        CreateConsole(),
        cancellation);

    /// <summary>CI logs are not terminals; without a width Spectre wraps tables at 80 columns.</summary>
    private static IAnsiConsole CreateConsole()
    {
        if (!System.Console.IsOutputRedirected)
        {
            return AnsiConsole.Console;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        console.Profile.Width = 160;
        return console;
    }
}
