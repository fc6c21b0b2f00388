using EduLoop.Domain.Caching;

namespace EduLoop.App.Api;

/// <summary>The kinds of data each cached API answer is read from (<see cref="DataTags"/>).</summary>
internal static class ApiCacheTags
{
    public static readonly string[] Taxonomy = [DataTags.Taxonomy];

    /// <summary>Questions carry their group, subject, category and subcategory.</summary>
    public static readonly string[] Questions = [DataTags.Bank, DataTags.Taxonomy];

    public static readonly string[] AccessKeys = [DataTags.Classes];

    public static readonly string[] Accounts = [DataTags.Accounts];

    /// <summary>The dashboard counts the taxonomy, the questions, the access keys and the accounts.</summary>
    public static readonly string[] Dashboard = [DataTags.Bank, DataTags.Taxonomy, DataTags.Classes, DataTags.Accounts];
}
