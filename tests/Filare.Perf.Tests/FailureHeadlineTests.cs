using Filare.Perf.Measurement;

namespace Filare.Perf.Tests;

public sealed class FailureHeadlineTests
{
    [Fact]
    public void A_rich_traceback_gives_its_exception_line_not_the_box()
    {
        const string stderr = """
            ╭──────────────────── Traceback (most recent call last) ────────────────────╮
            │ /src/filare/flows/build_harness.py:120 in build                            │
            │ ❱ 120 │   raise UnknownTemplateDesignator(designator)                      │
            │       │ │ designator = '<--'                               │ │              │
            ╰────────────────────────────────────────────────────────────────────────────╯
            UnknownTemplateDesignator: Unknown template/designator '<--'
            """;

        Assert.Equal("UnknownTemplateDesignator: Unknown template/designator '<--'", FailureHeadline.Of(stderr));
    }

    [Fact]
    public void A_plain_traceback_gives_the_last_exception_of_a_chain()
    {
        const string stderr = """
            Traceback (most recent call last):
              File "x.py", line 1, in <module>
            KeyError: 'a'

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/src/filare/cli/overlap.py", line 3, in <module>
            ModuleNotFoundError: No module named 'playwright'
            """;

        Assert.Equal("ModuleNotFoundError: No module named 'playwright'", FailureHeadline.Of(stderr));
    }

    [Fact]
    public void An_exception_line_inside_a_box_is_found_with_the_box_stripped()
    {
        const string stderr = """
            ╭─ Traceback (most recent call last) ─╮
            │ filare.errors.MissingMetadata: 'address' is undefined │
            ╰─────────────────────────────────────╯
            """;

        Assert.Equal("filare.errors.MissingMetadata: 'address' is undefined", FailureHeadline.Of(stderr));
    }

    [Fact]
    public void Without_a_traceback_the_last_line_that_is_not_decoration_is_the_headline()
    {
        const string stderr = """
            Usage: filare run [OPTIONS] FILES...
            Try 'filare run -h' for help.
            ╭─ Error ──────────────────────────────────────────────────╮
            │ Invalid value for 'FILES...': File 'x.yml' does not exist. │
            ╰──────────────────────────────────────────────────────────╯
            """;

        Assert.Equal("Invalid value for 'FILES...': File 'x.yml' does not exist.", FailureHeadline.Of(stderr));
    }

    [Fact]
    public void An_empty_stderr_falls_back_to_stdout_and_nothing_at_all_is_null()
    {
        Assert.Equal("1 failed, 383 passed in 5.20s", FailureHeadline.Of("\n ──── \n", "FAILED tests/x.py::t\n1 failed, 383 passed in 5.20s\n"));
        Assert.Null(FailureHeadline.Of("", "  \n"));
    }
}
