using System.Text.RegularExpressions;

namespace Filare.Perf.Results;

/// <summary>What kind a process of a run's tree is, from the program it runs: Filare's interpreter (any python), Graphviz's dot, or other.</summary>
public static partial class ProcessKinds
{
    public static ProcessKind Of(string program, string interpreter)
    {
        var name = Path.GetFileName(program);
        return program == interpreter || PythonName().IsMatch(name) ? ProcessKind.Python
            : name == "dot" ? ProcessKind.Dot
            : ProcessKind.Other;
    }

    [GeneratedRegex(@"^python[0-9.]*[dmu]?$")]
    private static partial Regex PythonName();
}
