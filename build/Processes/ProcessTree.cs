using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Filare.Perf.Processes;

/// <summary>
/// Finds and stops every process a run started: descendants by parent pid, members of the run's
/// session (the wrapper leads one), and anything seen before that has since been orphaned or
/// detached. Processes seen once are remembered by pid and start time, so a pid recycled during the
/// kill is not mistaken for one of them; the root is found by its pid and session.
/// </summary>
public static partial class ProcessTree
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly record struct ProcessId(int Pid, long StartTicks);

    private sealed record ProcStat(int Pid, char State, int ParentPid, int Session, long StartTicks);

    /// <summary>SIGTERM to all, up to <paramref name="grace"/> to exit, then SIGKILL until none is left.</summary>
    public static async Task KillAsync(int rootPid, TimeSpan grace)
    {
        if (!OperatingSystem.IsLinux())
        {
            KillWithoutProc(rootPid);
            return;
        }
        var known = new HashSet<ProcessId>();
        Signal(Collect(rootPid, known), SigTerm);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < grace && Collect(rootPid, known).Count > 0)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
        // A process may fork between a scan and the signal, so scan and kill until a scan is empty.
        for (var pass = 0; pass < 50; pass++)
        {
            var alive = Collect(rootPid, known);
            if (alive.Count == 0)
            {
                return;
            }
            Signal(alive, SigKill);
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    public static bool IsAlive(int pid) =>
        ReadStat(pid) is { State: not 'Z' and not 'X' };

    private static List<ProcStat> Collect(int rootPid, HashSet<ProcessId> known)
    {
        var all = ReadAll();
        var children = all.ToLookup(p => p.ParentPid);
        var members = new Dictionary<int, ProcStat>();
        var queue = new Queue<ProcStat>();
        foreach (var process in all)
        {
            var isRoot = process.Pid == rootPid;
            var inSession = process.Session == rootPid;
            var seenBefore = known.Contains(new ProcessId(process.Pid, process.StartTicks));
            if (isRoot || inSession || seenBefore)
            {
                queue.Enqueue(process);
            }
        }
        while (queue.Count > 0)
        {
            var process = queue.Dequeue();
            if (!members.TryAdd(process.Pid, process))
            {
                continue;
            }
            foreach (var child in children[process.Pid])
            {
                queue.Enqueue(child);
            }
        }
        foreach (var member in members.Values)
        {
            known.Add(new ProcessId(member.Pid, member.StartTicks));
        }
        return members.Values.Where(p => p.State is not 'Z' and not 'X' && p.Pid != Environment.ProcessId).ToList();
    }

    private static List<ProcStat> ReadAll()
    {
        var result = new List<ProcStat>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ReadStat(pid) is { } stat)
            {
                result.Add(stat);
            }
        }
        return result;
    }

    private static ProcStat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // The command name sits in parentheses and may itself contain spaces or ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = text[(close + 2)..].Split(' ');
        // After the name: state ppid pgrp session ... and field 22 (starttime) is index 19 here.
        return fields.Length > 19
            ? new ProcStat(pid, fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture),
                long.Parse(fields[19], CultureInfo.InvariantCulture))
            : null;
    }

    private static void Signal(IEnumerable<ProcStat> processes, int signal)
    {
        foreach (var process in processes)
        {
            _ = kill(process.Pid, signal);
        }
    }

    private static void KillWithoutProc(int rootPid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = kill(-rootPid, SigKill);
        }
        try
        {
            using var process = Process.GetProcessById(rootPid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
