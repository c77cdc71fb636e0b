using System.Text.RegularExpressions;

namespace Filare.Perf.Workflows;

/// <summary>
/// The actions the workflows use, each at one full release tag (never a moving major tag such as
/// <c>v4</c>), in one place. <see cref="ActionPins"/> turns them into commit SHAs where
/// <see cref="ActionPinningAttribute"/> says so.
/// </summary>
public static class Actions
{
    public const string Checkout = "actions/checkout@v4.2.2";
    public const string CacheRestore = "actions/cache/restore@v4.2.3";
    public const string CacheSave = "actions/cache/save@v4.2.3";
    public const string UploadArtifact = "actions/upload-artifact@v4.6.2";
    public const string DownloadArtifact = "actions/download-artifact@v4.3.0";
    public const string SetupDotnet = "actions/setup-dotnet@v4.3.1";
    public const string SetupPython = "actions/setup-python@v5.6.0";
    public const string DockerLogin = "docker/login-action@v3.4.0";
    public const string DockerBuildPush = "docker/build-push-action@v6.18.0";
    public const string DockerBuildx = "docker/setup-buildx-action@v3.11.1";
}

/// <summary>One release of an action and the commit its tag pointed to when it was pinned.</summary>
public sealed record ActionPin(string Repository, string Release, string Sha);

/// <summary>
/// Replaces <c>uses: owner/repo[/path]@release</c> in generated YAML by <c>@&lt;40-hex sha&gt; # release</c>
/// for the actions <see cref="ActionPinningAttribute"/> selects: a tag can be moved to other code
/// by whoever controls the action's repository, a commit cannot. The SHAs below were taken from
/// public workflows that pin these releases (several independent repositories agreeing per pin);
/// they could not be checked against GitHub from the machine they were written on, so the first
/// run on GitHub is their check ("Unable to resolve action" fails the job, it never runs other code).
/// Renovate or Dependabot keep such pins current, updating the SHA and its comment together.
/// </summary>
public static partial class ActionPins
{
    public static readonly IReadOnlyList<ActionPin> Known =
    [
        new("actions/checkout", "v4.2.2", "11bd71901bbe5b1630ceea73d27597364c9af683"),
        new("actions/cache", "v4.2.3", "5a3ec84eff668545956fd18022155c47e93e2684"),
        new("actions/upload-artifact", "v4.6.2", "ea165f8d65b6e75b540449e92b4886f43607fa02"),
        new("actions/download-artifact", "v4.3.0", "d3f86a106a0bac45b974a628896c90dbdf5c8093"),
        new("actions/setup-dotnet", "v4.3.1", "67a3573c9a986a3f9c594539f4ab511d57bb3ce9"),
        new("actions/setup-python", "v5.6.0", "a26af69be951a213d495a4c3e4e4022e16d87065"),
        new("docker/login-action", "v3.4.0", "74a5d142397b4f367a81961eba4e8cd7edddf772"),
        new("docker/build-push-action", "v6.18.0", "263435318d21b8e681c14492fe198d362a7d2c83"),
        new("docker/setup-buildx-action", "v3.11.1", "e468171a9de216ec08956ac3ada2f0791b6bd435"),
    ];

    /// <summary>GitHub's own actions (actions/*); everything else is third-party.</summary>
    public static bool IsGitHubAction(string repository) => repository.StartsWith("actions/", StringComparison.Ordinal);

    public static bool Selects(ActionPinningAttribute pinning, string repository) =>
        IsGitHubAction(repository) ? pinning.GitHubActions : pinning.ThirdParty;

    public static string Apply(string yaml, ActionPinningAttribute pinning) => Uses().Replace(yaml, use =>
    {
        var repository = use.Groups["repo"].Value;
        var release = use.Groups["ref"].Value;
        if (!Selects(pinning, repository))
        {
            return use.Value;
        }
        var pin = Known.FirstOrDefault(p => p.Repository == repository && p.Release == release)
            ?? throw new InvalidOperationException($"{repository}@{release}: no commit SHA in " +
                $"ActionPins.Known, and [ActionPinning] asks for one. Add the SHA of that release's tag.");
        return $"{use.Groups["head"].Value}{repository}{use.Groups["path"].Value}@{pin.Sha} # {pin.Release}";
    });

    [GeneratedRegex(@"(?m)^(?<head>\s*(?:-\s+)?uses:\s+)(?<repo>[\w.-]+/[\w.-]+)(?<path>(?:/[\w.-]+)*)@(?<ref>[\w.-]+)[ \t]*$")]
    private static partial Regex Uses();
}
