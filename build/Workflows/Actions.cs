namespace Filare.Perf.Workflows;

/// <summary>
/// Third-party actions, each pinned to one release tag in one place. (Pinning to full commit SHAs is
/// stronger; those cannot be checked from this machine, see docs/performance/ci-workflow.md.)
/// </summary>
public static class Actions
{
    public const string Checkout = "actions/checkout@v4";
    public const string CacheRestore = "actions/cache/restore@v4";
    public const string CacheSave = "actions/cache/save@v4";
    public const string UploadArtifact = "actions/upload-artifact@v4";
    public const string DownloadArtifact = "actions/download-artifact@v4";
    public const string SetupDotnet = "actions/setup-dotnet@v4";
    public const string SetupPython = "actions/setup-python@v5";
    public const string DockerLogin = "docker/login-action@v3";
    public const string DockerBuildPush = "docker/build-push-action@v6";
    public const string DockerBuildx = "docker/setup-buildx-action@v3";
}
