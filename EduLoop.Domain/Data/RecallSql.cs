using EduLoop.Domain.Learning;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Domain.Data;

/// <summary>A student's recall of one place of the bank: how many questions of it they have answered and the sum of their chances of recall now.</summary>
public sealed record TopicRecall(string StudentId, int SubjectId, int CategoryId, int? SubCategoryId, int Seen, double Recall);

/// <summary>
/// Recall summed by student and place in the database, not row by row in .NET: a class of 40 has
/// 80,000 memory states, and reading them all costs more than the sums. Each state's chance of recall
/// is FSRS's (1 + factor·days/stability)^decay, with days since its last review (never below 0).
/// </summary>
internal static class RecallSql
{
    private const string Select = """
        SELECT s."StudentId", q."SubjectId", q."CategoryId", q."SubCategoryId", {2} AS "Seen", SUM({0}) AS "Recall"
        FROM "ReviewStates" AS s JOIN "Questions" AS q ON q."Id" = s."QuestionId"
        WHERE {1}
        GROUP BY s."StudentId", q."SubjectId", q."CategoryId", q."SubCategoryId"
        """;

    private const string SqliteRecall = """
        pow(1.0 + @factor * max(julianday(@now) - julianday(s."LastReview"), 0.0) / s."Stability", @decay)
        """;

    private const string PostgresRecall = """
        power(1.0 + @factor * greatest(extract(epoch from (@now - s."LastReview"))::double precision / 86400.0, 0.0) / s."Stability", @decay)
        """;

    /// <summary>One student's recall by place.</summary>
    public static Task<List<TopicRecall>> OfStudentAsync(EduLoopDbContext db, string studentId, DateTime now, MemoryModel model, CancellationToken cancellationToken) =>
        QueryAsync(db, "s.\"StudentId\" = @who", studentId, now, model, cancellationToken);

    /// <summary>The recall by place of every student of a class.</summary>
    public static Task<List<TopicRecall>> OfClassAsync(EduLoopDbContext db, int classId, DateTime now, MemoryModel model, CancellationToken cancellationToken) =>
        QueryAsync(db, "s.\"StudentId\" IN (SELECT m.\"UserId\" FROM \"ClassMemberships\" AS m WHERE m.\"SchoolClassId\" = @who)", classId, now, model, cancellationToken);

    private static Task<List<TopicRecall>> QueryAsync(EduLoopDbContext db, string where, object who, DateTime now, MemoryModel model, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, Select, sqlite ? SqliteRecall : PostgresRecall, where, sqlite ? "COUNT(*)" : "COUNT(*)::int");
        object[] parameters = sqlite
            ? [new Microsoft.Data.Sqlite.SqliteParameter("@who", who), new Microsoft.Data.Sqlite.SqliteParameter("@now", now),
               new Microsoft.Data.Sqlite.SqliteParameter("@factor", model.Factor), new Microsoft.Data.Sqlite.SqliteParameter("@decay", model.Decay)]
            : [new Npgsql.NpgsqlParameter("who", who), new Npgsql.NpgsqlParameter("now", DateTime.SpecifyKind(now, DateTimeKind.Utc)),
               new Npgsql.NpgsqlParameter("factor", model.Factor), new Npgsql.NpgsqlParameter("decay", model.Decay)];
        return db.Database.SqlQueryRaw<TopicRecall>(sql, parameters).ToListAsync(cancellationToken);
    }
}
