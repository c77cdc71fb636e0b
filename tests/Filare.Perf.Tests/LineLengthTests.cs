using System.Globalization;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// No line of C# in build/ or tests/ is longer than <see cref="MaxLength"/> characters (.editorconfig's max_line_length):
/// a reviewer reads a diff side by side. Characters are counted as a reader sees them (text elements), so an emoji or
/// an accented letter made of two code points counts once.
/// </summary>
public sealed class LineLengthTests
{
    public const int MaxLength = 160;

    [Fact]
    public void No_line_in_build_or_tests_is_longer_than_the_limit()
    {
        var files = new[] { "build", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !Path.GetRelativePath(Repository.Root, file).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .ToList();

        var tooLong = files
            .SelectMany(file => LongLines(file).Select(line => $"{Path.GetRelativePath(Repository.Root, file)}:{line.Number} ({line.Length})"))
            .ToList();

        // The walk reached the sources at all: this file is one of them.
        Assert.Contains(files, f => f.EndsWith(nameof(LineLengthTests) + ".cs", StringComparison.Ordinal));
        Assert.True(tooLong.Count == 0, $"lines over {MaxLength} characters:\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void The_check_flags_a_line_one_character_over_the_limit_and_accepts_one_at_it()
    {
        var folder = Directory.CreateTempSubdirectory("filare-perf-lines-").FullName;
        try
        {
            var file = Path.Combine(folder, "Long.cs");
            // Two code points, one text element: counted once.
            var accented = "e\u0301";
            File.WriteAllText(file, string.Join("\n", "// short", new string('x', MaxLength), new string('y', MaxLength + 1),
                accented + new string('z', MaxLength - 1), accented + new string('z', MaxLength)) + "\n");

            var found = LongLines(file);

            Assert.Equal(new[] { (3, MaxLength + 1), (5, MaxLength + 1) }, found);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Each line over the limit: its 1-based number and its length in text elements.</summary>
    internal static List<(int Number, int Length)> LongLines(string file) =>
        [.. File.ReadAllLines(file)
            .Select((line, index) => (Number: index + 1, Length: new StringInfo(line).LengthInTextElements))
            .Where(line => line.Length > MaxLength)];
}
