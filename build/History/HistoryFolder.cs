using Filare.Perf.Storage;

namespace Filare.Perf.History;

/// <summary>
/// A history as files: <c>&lt;root&gt;/&lt;branch&gt;/history.jsonl</c>, the layout of the history branch
/// and of a local folder alike, so PerfTrend reads a checkout of the branch and a folder the same way.
/// </summary>
public sealed class HistoryFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The file of a branch; the branch is checked first (<see cref="HistoryIntake.BranchProblem"/>), and cannot leave the root.</summary>
    public static string RelativePath(string branch) =>
        HistoryIntake.BranchProblem(branch, []) is { } problem
            ? throw new ArgumentException(problem, nameof(branch))
            : branch + "/" + HistoryRecord.FileName;

    public string FileOf(string branch)
    {
        var path = Path.GetFullPath(Path.Combine(Root, RelativePath(branch)));
        return Paths.IsInside(path, Root) ? path : throw new ArgumentException($"branch '{branch}' leads outside {Root}", nameof(branch));
    }

    /// <summary>Every branch that has a history file, by its path below the root.</summary>
    public IReadOnlyList<string> Branches() => !Directory.Exists(Root)
        ? []
        : Directory.EnumerateFiles(Root, HistoryRecord.FileName, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, Path.GetDirectoryName(f)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(b => b != "." && !b.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();

    public HistoryContent Read(string branch) => HistoryFile.Read(FileOf(branch));

    /// <summary>Appends each branch's new records to its file, atomically; returns how many were new.</summary>
    public int Append(IEnumerable<HistoryRecord> records)
    {
        var added = 0;
        foreach (var group in records.GroupBy(r => r.Branch, StringComparer.Ordinal))
        {
            var file = FileOf(group.Key);
            var (text, count) = HistoryFile.Append(File.Exists(file) ? File.ReadAllText(file) : "", group, file);
            if (count > 0)
            {
                AtomicFile.WriteAllText(file, text);
            }
            added += count;
        }
        return added;
    }
}
