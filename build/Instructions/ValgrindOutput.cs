using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Filare.Perf.Results;

namespace Filare.Perf.Instructions;

/// <summary>
/// Reads what Valgrind left in a counted run's folder: one valgrind.PID.log and one
/// cachegrind.out.PID per traced process (--trace-children=yes, %p in both file names).
/// The log names the command and the parent; its system-call trace holds the exit_group status;
/// the cachegrind file's "summary:" line holds the instruction count.
/// </summary>
public static partial class ValgrindOutput
{
    public const string LogPrefix = "valgrind.";
    public const string CountPrefix = "cachegrind.out.";

    /// <summary>The processes, in pid order; the first one whose parent is not in the tree is the program itself.</summary>
    public static IReadOnlyList<ProcessInstructions> Read(string folder, string interpreter)
    {
        var processes = new List<ProcessInstructions>();
        foreach (var log in Directory.EnumerateFiles(folder, LogPrefix + "*.log"))
        {
            var name = Path.GetFileName(log);
            if (!int.TryParse(name[LogPrefix.Length..^".log".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            var (command, parent, exitCode, signal, logged) = ReadLog(log);
            var instructions = Summary(Path.Combine(folder, CountPrefix + pid)) ?? logged;
            processes.Add(new ProcessInstructions(pid, parent, KindOf(command, interpreter), command, instructions, exitCode, signal));
        }
        return processes.OrderBy(p => p.Pid).ToList();
    }

    /// <summary>
    /// The system-call trace is only there for the exit status: it is cut from the kept log, which
    /// then holds what a reviewer reads (Valgrind's own messages, a crash's stack).
    /// </summary>
    public static void TrimLogs(string folder)
    {
        foreach (var log in Directory.EnumerateFiles(folder, LogPrefix + "*.log"))
        {
            var kept = new StringBuilder();
            foreach (var line in File.ReadLines(log))
            {
                if ((line.StartsWith("SYSCALL[", StringComparison.Ordinal) && !ExitGroup().IsMatch(line)) || line.StartsWith(" -->", StringComparison.Ordinal))
                {
                    continue;
                }
                kept.Append(line).Append('\n');
            }
            File.WriteAllText(log, kept.ToString());
        }
    }

    public static ProcessKind KindOf(string command, string interpreter) => ProcessKinds.Of(FirstWord(command), interpreter);

    private static (string Command, int? Parent, int? ExitCode, int? Signal, long? Instructions) ReadLog(string path)
    {
        string command = "";
        int? parent = null, exitCode = null, signal = null;
        long? instructions = null;
        foreach (var line in File.ReadLines(path))
        {
            if (ExitGroup().Match(line) is { Success: true } exit)
            {
                // The kernel keeps the low byte: exit_group(256) is exit status 0.
                exitCode = (int)(long.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) & 0xFF);
                continue;
            }
            var body = Body().Match(line);
            if (!body.Success)
            {
                continue;
            }
            var text = body.Groups[1].Value;
            if (text.StartsWith("Command: ", StringComparison.Ordinal))
            {
                // Valgrind writes the arguments with spaces escaped ("\ ") and newlines as "_".
                command = text["Command: ".Length..].Replace("\\ ", " ", StringComparison.Ordinal);
            }
            else if (text.StartsWith("Parent PID: ", StringComparison.Ordinal)
                && int.TryParse(text["Parent PID: ".Length..], CultureInfo.InvariantCulture, out var ppid))
            {
                parent = ppid;
            }
            else if (Terminating().Match(text) is { Success: true } terminating)
            {
                signal = int.Parse(terminating.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (Refs().Match(text) is { Success: true } refs)
            {
                instructions = long.Parse(refs.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            }
        }
        return (command, parent, signal is null ? exitCode : null, signal, instructions);
    }

    /// <summary>The "summary:" line of a cachegrind.out file: the Ir total, the one event counted without cache simulation.</summary>
    private static long? Summary(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("summary:", StringComparison.Ordinal)
                && long.TryParse(line["summary:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var total))
            {
                return total;
            }
        }
        return null;
    }

    private static string FirstWord(string command)
    {
        var space = command.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? command : command[..space];
    }

    [GeneratedRegex(@"^SYSCALL\[\d+,\d+\]\(\s*231\) (?:sys_)?exit_group\s*\(\s*(-?\d+)\s*\)")]
    private static partial Regex ExitGroup();

    [GeneratedRegex(@"^==\d+== (.*)$")]
    private static partial Regex Body();

    [GeneratedRegex(@"^Process terminating with default action of signal (\d+)")]
    private static partial Regex Terminating();

    [GeneratedRegex(@"^I\s+refs:\s+([\d,]+)")]
    private static partial Regex Refs();
}
