using System.Diagnostics;
using System.Text;

namespace Filare.Perf.Processes;

public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Short helper commands (git, probes, converters): output captured, tree killed on timeout.</summary>
public static class ToolProcess
{
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellation,
        IReadOnlyDictionary<string, string>? environment = null,
        bool onlyThisEnvironment = false)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (onlyThisEnvironment)
        {
            // For programs that read untrusted data: nothing of ours (tokens above all) reaches them.
            start.Environment.Clear();
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ToolResult(127, "", $"cannot start {fileName}: {e.Message}");
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ProcessTree.KillAsync(process.Id, TimeSpan.Zero).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            return new ToolResult(124, await stdout.ConfigureAwait(false), $"{fileName} timed out after {timeout.TotalSeconds:0} s");
        }
        return new ToolResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>An executable on PATH (or a path), as the shell would find it; null when there is none.</summary>
    public static string? Which(string name, IReadOnlyDictionary<string, string> environment)
    {
        if (name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }
        var path = environment.GetValueOrDefault("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(IsExecutable);
    }

    public static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
