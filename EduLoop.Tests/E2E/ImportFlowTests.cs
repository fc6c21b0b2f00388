using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class ImportFlowTests(BrowserFixture browser)
{
    private static string Gift(string category, bool broken) => $$"""
        $CATEGORY: $course$/top/Imports/Browser/{{category}}

        ::Boiling::At sea level, water boils at how many °C? {#100:1}

        ::Capital::What is the capital of France? {=Paris ~London ~Berlin}

        ::Broken::Which are prime? {~%50%2 ~%50%3 {{(broken ? "~%-100%4" : "~%-100%4}")}}

        ::Essay::Describe the water cycle. {}
        """;

    [Fact]
    public async Task Teacher_UploadsAGiftFileWithABrokenQuestion_SeesTheLine_FixesIt_Commits_AndFindsTheQuestions()
    {
        var category = $"Run {Guid.NewGuid():N}"[..12];
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await page.GotoAsync("bank/import");
        await page.WaitForInteractiveAsync();
        await page.ScreenshotAsync("bank-import-light");

        await page.SetInputFilesAsync("[data-testid=file-input]", new FilePayload
        {
            Name = "science.gift",
            MimeType = "text/plain",
            Buffer = System.Text.Encoding.UTF8.GetBytes(Gift(category, broken: true)),
        });

        var error = page.Locator("[data-testid=import-error]");
        await Expect(error).ToHaveCountAsync(1);
        await Expect(error).ToContainTextAsync("Line 7:");
        await Expect(page.Locator("[data-testid=commit]")).ToBeDisabledAsync();
        await page.ScreenshotAsync("bank-import-errors");

        await page.ClickAsync("[data-testid=edit-file]");
        var editor = page.Locator("textarea[data-testid=import-text], [data-testid=import-text] textarea");
        await Expect(editor).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Which are prime"));
        await editor.FillAsync(Gift(category, broken: false));
        await page.ClickAsync("[data-testid=check-text]");

        await Expect(page.Locator("[data-testid=question-count]")).ToContainTextAsync("4 questions");
        await Expect(page.Locator("[data-testid=import-error]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=preview-table] tbody tr").Nth(1).ClickAsync();
        await Expect(page.Locator("[data-testid=question-view]").First).ToContainTextAsync("Paris");
        await page.ScreenshotAsync("bank-import-preview");

        await page.ClickAsync("[data-testid=commit]");
        await page.ClickAsync("[data-testid=confirm]");
        await Expect(page.Locator("[data-testid=import-result]")).ToContainTextAsync("Imported 4 questions");

        await page.ClickAsync("[data-testid=view-in-bank]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Question bank");
        var rows = page.Locator("[data-testid=bank-row]");
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid=bank-table]")).ToContainTextAsync("Capital");
        await page.ScreenshotAsync("bank-light");

        await rows.Filter(new() { HasText = "Capital" }).Locator("a").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Edit question");
        await Expect(page.Locator("[data-testid=question-view]").First).ToContainTextAsync("Paris");
    }

    [Fact]
    public async Task Teacher_ExportsTheBank_AsADownload()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await page.GotoAsync("bank/export");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=format-csv]");
        await Expect(page.Locator("[data-testid=export-count]")).ToContainTextAsync("questions will be exported");
        await page.ScreenshotAsync("bank-export-light");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download]"));

        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("id,type,level,group,subject,category,subcategory,title,text,options,answer,feedback,general_feedback,case_sensitive,tags",
            File.ReadLines(path!).First());
        Assert.True(File.ReadLines(path!).Count() > 2000);
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("bank/import")]
    [InlineData("bank/export")]
    [InlineData("bank/questions/new")]
    [InlineData("bank/questions/1")]
    public async Task Student_CannotOpenTheBankPages(string path)
    {
        var page = await browser.NewPageAsync(phone: true);
        await page.LoginAsync(TestAccounts.StudentEmail, TestAccounts.StudentPassword);

        await page.GotoAsync(path);

        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=drop-zone], [data-testid=bank-table], [data-testid=download], [data-testid=editor-stem]")).ToHaveCountAsync(0);
    }
}
