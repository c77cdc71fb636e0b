
namespace Filare.Perf.Git;

/// <summary>
/// The refs the gate lets through as FIL_PERF_COMPARE_REF. The value ends up as an argument to git
/// in the profile job, so only plain names pass (the rules: <see cref="GitRef.TryValidateUntrusted"/>).
/// </summary>
public static class CompareRef
{
    /// <summary>Measure the checked-out commit against itself: an A/A run that calibrates the runner's noise floor.</summary>
    public const string Head = GitRef.Head;

    public const string Allowed = GitRef.Allowed;

    /// <summary>The ref as the gate passes it on (commits in lower case), or false when it is none of <see cref="Allowed"/>.</summary>
    public static bool TryValidate(string text, out string value) => GitRef.TryValidateUntrusted(text, out value);
}
