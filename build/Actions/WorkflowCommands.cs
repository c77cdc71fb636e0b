using System.Security.Cryptography;
using Spectre.Console;

namespace Filare.Perf.Actions;

/// <summary>
/// The GitHub Actions runner reads its job log for workflow commands: a line starting with
/// <c>::name::</c> (after leading spaces), and the older <c>##[name]</c> anywhere in a line. Text
/// that is not ours (scenario names, labels, messages, anything from a PR's artifact) printed to
/// that log could add masks, fake errors or end groups. <see cref="Suspend(IAnsiConsole, IReadOnlyDictionary{string, string})"/>
/// brackets such output in <c>::stop-commands::TOKEN</c> … <c>::TOKEN::</c>, with a random token
/// the text cannot know, so the runner takes none of it as a command. Outside GitHub Actions it
/// prints nothing. Any renderer that prints untrusted text (console tables, trend tables) opens one.
/// </summary>
public static class WorkflowCommands
{
    /// <summary>GitHub Actions sets GITHUB_ACTIONS=true on every step.</summary>
    public static bool IsActions(IReadOnlyDictionary<string, string> environment) =>
        string.Equals(environment.GetValueOrDefault("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Commands stay off until the result is disposed.</summary>
    public static IDisposable Suspend(IAnsiConsole console, IReadOnlyDictionary<string, string> environment) =>
        Suspend(console.Profile.Out.Writer, IsActions(environment));

    /// <param name="writer">Written past Spectre, which could wrap a long line and break the command.</param>
    public static IDisposable Suspend(TextWriter writer, bool enabled)
    {
        if (!enabled)
        {
            return new Resume(null, null);
        }
        var token = NewToken();
        writer.Flush();
        writer.WriteLine($"::stop-commands::{token}");
        return new Resume(writer, token);
    }

    /// <summary>
    /// For a single line outside a suspended block: what would read as a command no longer does
    /// (<c>::</c> at the start and every <c>##[</c> get a zero-width joiner).
    /// </summary>
    public static string Neutralize(string line)
    {
        var text = line.ReplaceLineEndings(" ").Replace("##[", "#\u2060#[", StringComparison.Ordinal);
        var start = text.Length - text.TrimStart().Length;
        return text.AsSpan(start).StartsWith("::", StringComparison.Ordinal) ? text[..start] + ":\u2060" + text[(start + 1)..] : text;
    }

    /// <summary>128 random bits: nothing printed inside the block can guess it and resume commands early.</summary>
    public static string NewToken() => "filare-perf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private sealed class Resume(TextWriter? writer, string? token) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done || writer is null)
            {
                return;
            }
            _done = true;
            writer.Flush();
            writer.WriteLine($"::{token}::");
        }
    }
}
