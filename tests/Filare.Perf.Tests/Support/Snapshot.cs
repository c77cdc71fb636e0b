using System.Runtime.CompilerServices;

namespace Filare.Perf.Tests.Support;

/// <summary>
/// Snapshot files for rendered text (Verify is not on our feed). The expected text lives in
/// Snapshots/NAME.md; a mismatch writes NAME.received.md beside it and fails, so the difference can be
/// read with any diff tool and the file accepted by renaming it.
/// </summary>
public static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string caller = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, "Snapshots");
        var expectedFile = Path.Combine(folder, name + ".md");
        var receivedFile = Path.Combine(folder, name + ".received.md");
        actual = actual.ReplaceLineEndings("\n");
        if (File.Exists(expectedFile) && File.ReadAllText(expectedFile).ReplaceLineEndings("\n") == actual)
        {
            File.Delete(receivedFile);
            return;
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedFile, actual);
        Assert.Fail(File.Exists(expectedFile)
            ? $"{name}: the output differs from the snapshot; compare {receivedFile} with {expectedFile}, and rename the first to accept it."
            : $"{name}: no snapshot yet; check {receivedFile} and rename it to {Path.GetFileName(expectedFile)} to accept it.");
    }
}
