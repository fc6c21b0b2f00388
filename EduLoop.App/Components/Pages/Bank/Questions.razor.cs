using System.Globalization;

using EduLoop.App.Components.Shared;
using EduLoop.Domain;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;

using Microsoft.AspNetCore.Components;

using MudBlazor;

namespace EduLoop.App.Components.Pages.Bank;

/// <summary>
/// The question bank: the hierarchy, the filters (kept in the address), the list as pages or as one
/// scrolled list, and the bulk actions on the checked rows.
/// </summary>
public sealed partial class Questions
{
    private MudTable<BankRow>? table;
    private BankOneList? oneListView;
    private IReadOnlyList<BankNode> tree = [];
    private readonly HashSet<(BankNodeKind, int)> expanded = [];
    private IReadOnlyList<(string Id, string Name)> authors = [];
    private (BankNodeKind Kind, int Id)? node;
    private BankQuery query = new();
    private HashSet<BankRow> selected = [];
    private bool moreFilters;
    private bool countCapped;

    /// <summary>Whether the view shows as one scrolled list instead of pages ("list=one" in the address).</summary>
    private bool oneList;

    [SupplyParameterFromQuery(Name = "node")]
    public string? NodeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? TextParameter { get; set; }

    [SupplyParameterFromQuery(Name = "search")]
    public string? SearchParameter { get; set; }

    [SupplyParameterFromQuery(Name = "type")]
    public string? TypeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "level")]
    public string? LevelParameter { get; set; }

    [SupplyParameterFromQuery(Name = "tag")]
    public string? TagParameter { get; set; }

    [SupplyParameterFromQuery(Name = "author")]
    public string? AuthorParameter { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? FromParameter { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? ToParameter { get; set; }

    [SupplyParameterFromQuery(Name = "archived")]
    public string? ArchivedParameter { get; set; }

    [SupplyParameterFromQuery(Name = "review")]
    public string? ReviewParameter { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? SortParameter { get; set; }

    [SupplyParameterFromQuery(Name = "list")]
    public string? ListParameter { get; set; }

    private bool HasFilter => query != new BankQuery() with { Sort = query.Sort };

    private bool HasMoreFilters => query.Tag is not null || query.AuthorId is not null || query.CreatedFrom is not null || query.CreatedTo is not null
        || query.Archived || query.Sort != BankSort.Newest;

    private DateTime? ToDay => query.CreatedTo?.AddDays(-1);

    private string NewQuestionLink => node switch
    {
        { Kind: BankNodeKind.Category } n => $"bank/questions/new?category={n.Id}",
        { Kind: BankNodeKind.SubCategory } n when ParentOf(n.Id) is { } parent => $"bank/questions/new?category={parent}&subcategory={n.Id}",
        _ => "bank/questions/new",
    };

    /// <summary>The export page for exactly this view: its node, every filter and the text search.</summary>
    private string ExportLink => "bank/export" + BankAddress.QueryString(new BankSelection(query));

    /// <summary>The export page for exactly the selected rows.</summary>
    private string ExportSelectedLink => "bank/export" + BankAddress.QueryString(new BankSelection(query, SelectedIds));

    protected override async Task OnParametersSetAsync()
    {
        if (tree.Count == 0)
        {
            tree = await Bank.TreeAsync();
            authors = await Bank.AuthorsAsync();
        }

        query = BankAddress.Read(name => name switch
        {
            "node" => NodeParameter,
            "q" => TextParameter,
            "search" => SearchParameter,
            "type" => TypeParameter,
            "level" => LevelParameter,
            "tag" => TagParameter,
            "author" => AuthorParameter,
            "from" => FromParameter,
            "to" => ToParameter,
            "archived" => ArchivedParameter,
            "sort" => SortParameter,
            "review" => ReviewParameter,
            _ => null,
        }).View;
        oneList = ListParameter == OneListValue;
        node = BankAddress.NodeOf(query);
        if (node is { } n)
        {
            ExpandTo(n);
        }
    }

    private async Task<TableData<BankRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var page = await Bank.BrowseAsync(query, new PageRequest(state.Page + 1, state.PageSize), cancellationToken);
        countCapped = page.IsCountCapped;
        return new TableData<BankRow> { Items = page.Items, TotalItems = page.Count };
    }

    /// <summary>"1-20 of 345"; a text search with more matches than are counted says "of 10,000+".</summary>
    private string PagerInfo => countCapped
        ? L["{first_item}-{last_item} of {all_items}"].Value.Replace("{all_items}", $"{BankService.TextCountCap.ToString("N0", CultureInfo.CurrentCulture)}+", StringComparison.Ordinal)
        : L["{first_item}-{last_item} of {all_items}"];

    /// <summary>Applies filters and keeps them in the address, so a view can be bookmarked and shared.</summary>
    private async Task FilterAsync(BankQuery changed)
    {
        query = changed;
        var address = BankAddress.Write(new BankSelection(query)).ToDictionary(p => p.Key, p => (object?)p.Value);
        address["search"] = null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(address), replace: true);
        selected.Clear();
        // The one list is keyed by the view: a new view is a new list, scrolled to its top.
        if (table is not null && !oneList)
        {
            await table.ReloadServerData();
        }
    }

    /// <summary>The value of "list" in the address that shows the view as one list; pages need none.</summary>
    private const string OneListValue = "one";

    /// <summary>Switches between pages and one list, keeping the choice in the address with the filters.</summary>
    private void ShowAsOneList(bool one)
    {
        oneList = one;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("list", one ? OneListValue : null), replace: true);
    }

    /// <summary>After a change to the bank, the list on screen reads the view again (the one list where it is scrolled to).</summary>
    private async Task ReloadListAsync()
    {
        if (table is not null && !oneList)
        {
            await table.ReloadServerData();
        }

        if (oneListView is not null && oneList)
        {
            await oneListView.RefreshAsync();
        }
    }

    private void Check((BankRow Row, bool Checked) change)
    {
        if (change.Checked)
        {
            selected.Add(change.Row);
        }
        else
        {
            selected.Remove(change.Row);
        }
    }

    private Task SelectAsync(BankNode? chosen)
    {
        node = chosen is null ? null : (chosen.Kind, chosen.Id);
        return FilterAsync(BankAddress.AtNode(query, node));
    }

    private void Open(BankRow row) => Navigation.NavigateTo($"bank/questions/{row.Id}");

    private async Task<IEnumerable<string>> FindTagsAsync(string search, CancellationToken cancellationToken) =>
        await Bank.TagsAsync(search, 20, cancellationToken);

    private async Task RefreshAsync()
    {
        tree = await Bank.TreeAsync();
        selected.Clear();
        await ReloadListAsync();
    }

    private void ClearSelection() => selected.Clear();

    private List<int> SelectedIds => selected.Select(r => r.Id).ToList();

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>A live game of the selected questions, in the list's order, and its lobby on the projector.</summary>
    private async Task PlayLiveAsync()
    {
        var actor = Hosting.ClaimsPrincipalExtensions.Actor((await AuthenticationState).User);
        try
        {
            var game = await LiveGames.CreateFromQuestionsAsync(actor, L["Questions from the bank"], SelectedIds, new Domain.Live.LiveOptions());
            Navigation.NavigateTo($"live/{game.Id}/host");
        }
        catch (DomainValidationException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }

    private async Task AddToQuizAsync()
    {
        var dialog = await Dialogs.ShowAsync<AddToQuizDialog>(L["Add the selected questions to a quiz"], new DialogParameters<AddToQuizDialog>
        {
            { d => d.QuestionIds, SelectedIds },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: AddToQuizDialog.AddedToQuiz added })
        {
            // Counts after a colon read right in both languages whatever the number.
            var parts = new List<string> { L["Added to “{0}”: {1}", added.Title, added.Result.Added] };
            if (added.Result.AlreadyInQuiz > 0)
            {
                parts.Add(L["already in it: {0}", added.Result.AlreadyInQuiz]);
            }

            if (added.Result.Unavailable > 0)
            {
                parts.Add(L["archived or deleted: {0}", added.Result.Unavailable]);
            }

            Snackbar.Add(string.Join(" · ", parts), added.Result.Added > 0 ? Severity.Success : Severity.Info, options =>
            {
                options.Action = L["Open the quiz"];
                options.ActionColor = Color.Inherit;
                options.OnClick = _ =>
                {
                    Navigation.NavigateTo($"quizzes/{added.QuizId}/edit");
                    return Task.CompletedTask;
                };
            });
        }
    }

    private async Task BulkMoveAsync()
    {
        var place = await ChooseAsync<BankPlace>(L.Plural(selected.Count, "Move {0} question to", "Move {0} questions to"), L["Move"], options: null);
        if (place is null)
        {
            return;
        }

        await ApplyAsync(new MoveQuestions(place.CategoryId, place.SubCategoryId), L.Plural(selected.Count, "{0} question moved to {1}.", "{0} questions moved to {1}.", selected.Count, place.Path), undo: null);
    }

    private async Task BulkLevelAsync(QuestionLevel level)
    {
        var before = selected.GroupBy(r => r.Level).Select(g => (Level: g.Key, Ids: g.Select(r => r.Id).ToList())).ToList();
        await ApplyAsync(new SetLevel(level), L.Plural(selected.Count, "{0} question set to {1}.", "{0} questions set to {1}.", selected.Count, L.LevelName(level)), async () =>
        {
            foreach (var (old, ids) in before)
            {
                await Bank.BulkAsync(ids, new SetLevel(old));
            }
        });
    }

    private async Task BulkTagAsync(bool add)
    {
        var dialog = await Dialogs.ShowAsync<PromptDialog>(add ? L["Add a tag"] : L["Remove a tag"], new DialogParameters<PromptDialog>
        {
            { d => d.Label, L["Tag"].Value },
            { d => d.ConfirmText, add ? L["Add"].Value : L["Remove"].Value },
        }, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string tag })
        {
            await ApplyAsync(add ? new AddTag(tag) : new RemoveTag(tag), add ? L["Tag “{0}” added.", tag] : L["Tag “{0}” removed.", tag], undo: null);
        }
    }

    private async Task BulkArchiveAsync()
    {
        var ids = SelectedIds;
        var archive = !query.Archived;
        await ApplyAsync(new SetArchived(archive), archive ? L.Plural(ids.Count, "{0} question archived.", "{0} questions archived.") : L.Plural(ids.Count, "{0} question back in the bank.", "{0} questions back in the bank."),
            () => Bank.BulkAsync(ids, new SetArchived(!archive)));
    }

    private async Task BulkDeleteAsync()
    {
        if (!await Dialogs.ConfirmAsync(L["Delete questions"], L.Plural(selected.Count, "Delete {0} question and its history? This cannot be undone; archiving keeps it out of sight instead.", "Delete {0} questions and their history? This cannot be undone; archiving keeps them out of sight instead."), L["Delete"]))
        {
            return;
        }

        await ApplyAsync(new DeleteQuestions(), L.Plural(selected.Count, "{0} question deleted.", "{0} questions deleted."), undo: null);
    }

    /// <summary>Runs a bulk change and says so, with an undo button when the change can be taken back.</summary>
    private async Task ApplyAsync(BulkChange change, string done, Func<Task>? undo)
    {
        try
        {
            await Bank.BulkAsync(SelectedIds, change);
        }
        catch (DomainValidationException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return;
        }

        await RefreshAsync();
        Snackbar.Add(done, Severity.Success, options =>
        {
            if (undo is not null)
            {
                options.Action = L["Undo"];
                options.ActionColor = Color.Inherit;
                options.OnClick = async _ =>
                {
                    await undo();
                    await InvokeAsync(RefreshAsync);
                };
            }
        });
    }

    private async Task NewGroupAsync()
    {
        if (await PromptAsync(L["New group"], L["Name"], L["Create"], null) is { } name)
        {
            await NodeChangeAsync(() => Bank.CreateNodeAsync(BankNodeKind.Group, null, name), L["{0} created.", name]);
        }
    }

    private async Task NodeActionAsync((BankNode Node, NodeAction Action) request)
    {
        var (target, action) = request;
        switch (action)
        {
            case NodeAction.AddChild:
                var kind = target.Kind + 1;
                if (await PromptAsync(kind switch { BankNodeKind.Subject => L["New subject"], BankNodeKind.Category => L["New category"], _ => L["New subcategory"] },
                        L["Name"], L["Create"], null) is { } name)
                {
                    expanded.Add((target.Kind, target.Id));
                    await NodeChangeAsync(() => Bank.CreateNodeAsync(kind, target.Id, name), L["{0} created.", name]);
                }

                break;
            case NodeAction.Rename:
                if (await PromptAsync(L["Rename {0}", target.Name], L["Name"], L["Rename"], target.Name) is { } newName)
                {
                    await NodeChangeAsync(() => Bank.RenameNodeAsync(target.Kind, target.Id, newName), L["Renamed to {0}.", newName]);
                }

                break;
            case NodeAction.Move:
                var parent = target.Kind == BankNodeKind.Category
                    ? await ChooseAsync<int?>(L["Move {0} to the subject", target.Name], L["Move"],
                        tree.SelectMany(g => g.Children.Select(s => (s.Id, $"{g.Name} / {s.Name}"))).ToList())
                    : (await ChooseAsync<BankPlace>(L["Move {0} to the category", target.Name], L["Move"], options: null, categoriesOnly: true))?.CategoryId;
                if (parent is { } parentId)
                {
                    await NodeChangeAsync(() => Bank.MoveNodeAsync(target.Kind, target.Id, parentId), L["{0} moved.", target.Name]);
                }

                break;
            case NodeAction.Archive:
                if (await Dialogs.ConfirmAsync(L["Archive the questions of {0}", target.Name],
                        L.Plural(target.Questions, "Its {0} question leaves the lists and new quizzes; it stays for what already uses it and can be brought back from “Archived”.", "Its {0} questions leave the lists and new quizzes; they stay for what already uses them and can be brought back from “Archived”.", target.Questions.ToString("N0", CultureInfo.CurrentCulture)),
                        L["Archive"], Color.Primary))
                {
                    await NodeChangeAsync(() => Bank.ArchiveNodeAsync(target.Kind, target.Id, archived: true), L["Questions archived."]);
                }

                break;
            case NodeAction.Delete:
                var impact = await Bank.ImpactAsync(target.Kind, target.Id);
                if (impact.QuizCount > 0)
                {
                    Snackbar.Add(L.Plural(impact.QuizCount, "{0} quiz uses questions of {1}: it cannot be deleted. Archive its questions instead.", "{0} quizzes use questions of {1}: it cannot be deleted. Archive its questions instead.", impact.QuizCount, target.Name), Severity.Warning);
                    break;
                }

                var parts = new List<string>();
                if (impact.SubjectCount > 0)
                {
                    parts.Add(L["{0} subjects", impact.SubjectCount]);
                }

                if (impact.CategoryCount > 0)
                {
                    parts.Add(L.Plural(impact.CategoryCount, "{0} category", "{0} categories"));
                }

                if (impact.SubCategoryCount > 0)
                {
                    parts.Add(L["{0} subcategories", impact.SubCategoryCount]);
                }

                parts.Add(L["{0} questions", impact.QuestionCount.ToString("N0", CultureInfo.CurrentCulture)]);
                if (await Dialogs.ConfirmAsync(L["Delete {0}", target.Name], L["Delete {0} with everything in it: {1}? This cannot be undone; archiving its questions keeps them instead.", target.Name, string.Join(", ", parts)], L["Delete"]))
                {
                    if (node is { } n && n.Kind == target.Kind && n.Id == target.Id)
                    {
                        node = null;
                        query = query with { GroupId = null, SubjectId = null, CategoryId = null, SubCategoryId = null };
                    }

                    await NodeChangeAsync(() => Bank.DeleteNodeAsync(target.Kind, target.Id), L["{0} deleted.", target.Name]);
                }

                break;
        }
    }

    private async Task NodeChangeAsync(Func<Task> change, string done)
    {
        try
        {
            await change();
            Snackbar.Add(done, Severity.Success);
        }
        catch (Exception e) when (e is DomainValidationException or NotFoundException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }

        await RefreshAsync();
    }

    private async Task<string?> PromptAsync(string title, string label, string confirm, string? value)
    {
        var dialog = await Dialogs.ShowAsync<PromptDialog>(title, new DialogParameters<PromptDialog>
        {
            { d => d.Label, label },
            { d => d.ConfirmText, confirm },
            { d => d.Value, value },
        }, new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseOnEscapeKey = true });
        return await dialog.Result is { Canceled: false, Data: string text } ? text : null;
    }

    private async Task<T?> ChooseAsync<T>(string title, string confirm, IReadOnlyList<(int, string)>? options, bool categoriesOnly = false)
    {
        var dialog = await Dialogs.ShowAsync<ChooseDialog>(title, new DialogParameters<ChooseDialog>
        {
            { d => d.Label, title },
            { d => d.ConfirmText, confirm },
            { d => d.Options, options },
            { d => d.CategoriesOnly, categoriesOnly },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        return await dialog.Result is { Canceled: false, Data: T chosen } ? chosen : default;
    }

    private void ExpandTo((BankNodeKind Kind, int Id) target)
    {
        foreach (var group in tree)
        {
            foreach (var subject in group.Children)
            {
                foreach (var category in subject.Children)
                {
                    if ((target.Kind == BankNodeKind.Category && category.Id == target.Id)
                        || (target.Kind == BankNodeKind.SubCategory && category.Children.Any(s => s.Id == target.Id)))
                    {
                        expanded.Add((BankNodeKind.Group, group.Id));
                        expanded.Add((BankNodeKind.Subject, subject.Id));
                        expanded.Add((BankNodeKind.Category, category.Id));
                    }
                }

                if (target.Kind == BankNodeKind.Subject && subject.Id == target.Id)
                {
                    expanded.Add((BankNodeKind.Group, group.Id));
                }
            }
        }
    }

    private int? ParentOf(int subCategoryId) =>
        tree.SelectMany(g => g.Children).SelectMany(s => s.Children).FirstOrDefault(c => c.Children.Any(s => s.Id == subCategoryId))?.Id;
}
