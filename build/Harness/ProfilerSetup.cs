using Filare.Perf.Checkout;
using Filare.Perf.Engine;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Spectre.Console;

namespace Filare.Perf.Harness;

/// <summary>
/// PerfSetup: gives a source-only checkout its .venv as the project makes it, and installs the
/// enabled profilers that the profiled interpreter lacks, with uv or pip (<see cref="Installer"/>).
/// What counts as installed is decided by probing again afterwards, never by the installer's exit code alone.
/// </summary>
public static class ProfilerSetup
{
    private static readonly string[] s_offline =
    [
        "Failed to establish a new connection", "Network is unreachable", "Temporary failure in name resolution",
        "error sending request", "dns error", "Connection refused", "Max retries exceeded",
    ];

    /// <summary>
    /// A fresh CI checkout of Filare is source only: give it the .venv Filare's own CI makes (uv venv
    /// and uv sync --frozen with its dev group, from uv.lock; else the project and its test extra with
    /// pip), so the scenarios find `filare`, master's dev-only imports are there, and the profilers have
    /// an interpreter of Filare's own to go into.
    /// </summary>
    public static async Task EnsureFilareVenvAsync(SessionOptions options, IAnsiConsole console, CancellationToken cancellation)
    {
        try
        {
            var filare = FilareCheckout.Locate(options.FilareRoot, options.BuildRoot);
            if (options.Python is not null || File.Exists(CheckoutEnvironment.VenvPython(filare.Root)))
            {
                console.MarkupLine("Filare's interpreter is given (--python or .venv): nothing to set up.");
                return;
            }
            var python = ToolProcess.Which("python3", options.Environment)
                ?? throw new FilareException("--setup-filare: no python3 on PATH to make Filare's .venv from.");
            var installer = Installer.Choose(options.BuildRoot, options.Environment);
            var groups = options.SetupGroups ?? ["dev"];
            console.MarkupLine($"Making [cyan]{Markup.Escape(Path.Combine(filare.Root, ".venv"))}[/] " +
                $"from {Markup.Escape(python)} and installing Filare into it: " +
                Markup.Escape(string.Join(" && ", installer.VenvSteps(filare.Root, python, groups, null).Select(s => string.Join(" ", s)))));
            await CheckoutEnvironment.CreateVenvAsync(filare.Root, python, installer, groups, null, cancellation).ConfigureAwait(false);
        }
        catch (FilareException e)
        {
            throw new BuildFailedException(e.Message);
        }
    }

    public static async Task InstallAsync(SessionOptions options, IReadOnlyList<IProfiler> profilers, IAnsiConsole console, CancellationToken cancellation)
    {
        PythonEnvironment python;
        try
        {
            var filare = FilareCheckout.Locate(options.FilareRoot, options.BuildRoot);
            var interpreter = PythonEnvironment.Choose(options.Python, filare.Root, options.BuildRoot, options.Environment);
            python = await PythonEnvironment.ProbeAsync(interpreter, [], filare.Root, cancellation).ConfigureAwait(false);
        }
        catch (FilareException e)
        {
            throw new BuildFailedException(e.Message);
        }
        await InstallIntoAsync(python, profilers, options, console, cancellation).ConfigureAwait(false);
    }

    /// <summary>Installs what <paramref name="python"/> lacks of <paramref name="profilers"/>; fails naming what is still missing.</summary>
    public static async Task InstallIntoAsync(PythonEnvironment python, IReadOnlyList<IProfiler> profilers, SessionOptions options, IAnsiConsole console,
        CancellationToken cancellation)
    {
        var missing = new List<IProfiler>();
        foreach (var profiler in profilers.Where(p => p.Package is not null))
        {
            var probe = await profiler.ProbeAsync(python, options.Environment, cancellation).ConfigureAwait(false);
            console.MarkupLine($"  {Markup.Escape(profiler.Tool),-10} " +
                $"{(probe.Installed ? $"[green]{Markup.Escape(probe.Version ?? "installed")}[/]" : "[yellow]missing[/]")}");
            if (!probe.Installed)
            {
                missing.Add(profiler);
            }
        }
        if (missing.Count == 0)
        {
            console.MarkupLine("Every enabled profiler is installed.");
            return;
        }

        var packages = missing.Select(p => p.Package!).ToList();
        var (command, environment) = InstallCommand(python, packages, options);
        console.MarkupLine($"Installing {Markup.Escape(string.Join(" ", packages))}: [grey]{Markup.Escape(string.Join(" ", command))}[/]");
        var install = await ToolProcess.RunAsync(command[0], command.Skip(1), options.BuildRoot, TimeSpan.FromMinutes(15), cancellation, environment)
            .ConfigureAwait(false);

        var stillMissing = new List<string>();
        foreach (var profiler in missing)
        {
            var probe = await profiler.ProbeAsync(python, options.Environment, cancellation).ConfigureAwait(false);
            console.MarkupLine($"  {Markup.Escape(profiler.Tool),-10} " +
                $"{(probe.Installed ? $"[green]{Markup.Escape(probe.Version ?? "installed")}[/]" : "[red]still missing[/]")}");
            if (!probe.Installed)
            {
                stillMissing.Add(profiler.Tool);
            }
        }
        if (stillMissing.Count == 0)
        {
            return;
        }
        var output = install.StandardError + "\n" + install.StandardOutput;
        var offline = s_offline.Any(text => output.Contains(text, StringComparison.OrdinalIgnoreCase));
        throw new BuildFailedException(
            $"Could not install {string.Join(", ", stillMissing)} into {python.Executable}" +
            (offline ? " (no network: the package index is unreachable from here)" : "") +
            $"; {command[0]} exited {install.ExitCode}: {OutputTail.Of(output)}");
    }

    /// <summary>uv when on PATH (fast, cached in .uv-cache), else the interpreter's own pip.</summary>
    public static (IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment) InstallCommand(PythonEnvironment python,
        IReadOnlyList<string> packages, SessionOptions options)
    {
        var installer = Installer.Choose(options.BuildRoot, options.Environment);
        return (installer.InstallPackages(python.Executable, packages), installer.Environment);
    }
}
