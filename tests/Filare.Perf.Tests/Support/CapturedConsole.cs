using Spectre.Console;

namespace Filare.Perf.Tests.Support;

/// <summary>A console whose output a test reads: no ANSI codes, no colours, not interactive, a fixed width.</summary>
public sealed class CapturedConsole
{
    private readonly StringWriter _writer = new();

    public CapturedConsole(int width)
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_writer),
        });
        Console.Profile.Width = width;
    }

    public IAnsiConsole Console { get; }

    /// <summary>Everything written so far.</summary>
    public string Text => _writer.ToString();
}
