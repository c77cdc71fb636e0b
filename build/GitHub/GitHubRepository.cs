using System.Text.RegularExpressions;
using Filare.Perf.Actions;
using Filare.Perf.Engine;

namespace Filare.Perf.GitHub;

/// <summary>owner/name of the repository the workflow runs in.</summary>
public sealed partial record GitHubRepository(string Owner, string Name)
{
    public static GitHubRepository Parse(string? text, string source) =>
        TryParse(text) ?? throw new BuildFailedException($"{source} is {(text is null ? "not set" : $"'{Untrusted.Shown(text)}'")}; expected owner/name.");

    public static GitHubRepository? TryParse(string? text) =>
        text is not null && Pattern().Match(text) is { Success: true } match ? new GitHubRepository(match.Groups[1].Value, match.Groups[2].Value) : null;

    public bool Is(string? fullName) => string.Equals(fullName, ToString(), StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Owner}/{Name}";

    [GeneratedRegex(@"\A([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)\z")]
    private static partial Regex Pattern();
}
