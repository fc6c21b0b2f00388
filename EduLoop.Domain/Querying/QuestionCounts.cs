using System.Globalization;
using System.Text;
using EduLoop.Domain.Data;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Querying;

/// <summary>
/// The filters a question count can be answered with from <c>QuestionCounts</c> (see
/// <see cref="QuestionCountsSql"/>) or, with a tag, from <c>QuestionTagCounts</c> (see
/// <see cref="QuestionTagCountsSql"/>): a node at any level, type, level, archived, author and tag.
/// A null filter takes every value.
/// </summary>
public sealed record CountFilter(
    int? GroupId = null, int? SubjectId = null, int? CategoryId = null, int? SubCategoryId = null,
    QuestionType? Type = null, QuestionLevel? Level = null, bool? Archived = null, string? AuthorId = null, int? TagId = null)
{
    /// <summary>How many questions match, summed over the kept counts: no question row is read.</summary>
    public async Task<int> CountAsync(EduLoopDbContext db, CancellationToken cancellationToken = default)
    {
        var table = TagId is null ? "QuestionCounts" : "QuestionTagCounts";
        var sql = new StringBuilder($"SELECT COALESCE(SUM(\"Count\"), 0) AS \"Value\" FROM \"{table}\" WHERE 1 = 1");
        var parameters = new List<object>();
        void Equal(string column, object? value)
        {
            if (value is not null)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND \"{column}\" = {{{parameters.Count}}}");
                parameters.Add(value);
            }
        }

        Equal("TagId", TagId);
        Equal("GroupId", GroupId);
        Equal("SubjectId", SubjectId);
        Equal("CategoryId", CategoryId);
        Equal("SubCategoryId", SubCategoryId);
        Equal("Type", (int?)Type);
        Equal("Level", (int?)Level);
        Equal("IsArchived", Archived is { } archived ? (archived ? 1 : 0) : null);
        Equal("CreatedById", AuthorId);
        var total = await db.Database.SqlQueryRaw<long>(sql.ToString(), [.. parameters]).SingleAsync(cancellationToken);
        return checked((int)total);
    }
}

/// <summary>Question counts per value of one column (a category, a type…), from the kept counts.</summary>
public static class QuestionCountsBy
{
    /// <summary>One value of the column and its questions.</summary>
    public sealed class Row
    {
        public int Key { get; set; }

        public long Count { get; set; }
    }

    /// <param name="column">One of the kept columns: GroupId, SubjectId, CategoryId, SubCategoryId, Type, Level.</param>
    /// <param name="archived">Only archived (true) or only not archived (false) questions; null for all.</param>
    public static async Task<Dictionary<int, int>> CountAsync(
        EduLoopDbContext db, string column, bool? archived = null, CancellationToken cancellationToken = default)
    {
        if (column is not ("GroupId" or "SubjectId" or "CategoryId" or "SubCategoryId" or "Type" or "Level"))
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, "Not a column of the kept counts.");
        }

        var where = archived is { } a ? $"WHERE \"IsArchived\" = {(a ? 1 : 0)}" : "";
        var sql = $"SELECT \"{column}\" AS \"Key\", SUM(\"Count\") AS \"Count\" FROM \"QuestionCounts\" {where} GROUP BY \"{column}\"";
        // The column is one of the names checked above and the filter a 0 or 1: nothing from outside.
        var rows = await db.Database.SqlQueryRaw<Row>(sql).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Key, r => checked((int)r.Count));
    }
}
