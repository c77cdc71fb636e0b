namespace Filare.Perf.Checkout;

/// <summary>
/// A command seen as a Python program, which is what cProfile, Scalene and Memray need:
/// <c>python -m module args</c> or <c>python script args</c>. Console scripts (like <c>filare</c>)
/// are Python files, so they are run as scripts.
/// </summary>
public sealed record PythonProgram(string? Module, string? Script, IReadOnlyList<string> Arguments)
{
    /// <summary>The program part of an interpreter command line: ["-m", module, ...] or [script, ...].</summary>
    public IReadOnlyList<string> Target => Module is not null ? ["-m", Module, .. Arguments] : [Script!, .. Arguments];

    /// <summary>Null with a reason when the command is not something a Python profiler can run.</summary>
    public static PythonProgram? From(IReadOnlyList<string> argv, string interpreter, out string? reason)
    {
        reason = null;
        if (argv[0] == interpreter)
        {
            if (argv.Count >= 3 && argv[1] == "-m")
            {
                return new PythonProgram(argv[2], null, argv.Skip(3).ToList());
            }
            if (argv.Count >= 2 && !argv[1].StartsWith('-'))
            {
                return new PythonProgram(null, argv[1], argv.Skip(2).ToList());
            }
            reason = "interpreter options before the program are not supported by the profilers";
            return null;
        }
        if (IsPythonScript(argv[0]))
        {
            return new PythonProgram(null, argv[0], argv.Skip(1).ToList());
        }
        reason = $"{Path.GetFileName(argv[0])} is not a Python program";
        return null;
    }

    public static bool IsPythonScript(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var firstLine = reader.ReadLine() ?? "";
            return firstLine.StartsWith("#!", StringComparison.Ordinal) && firstLine.Contains("python", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
