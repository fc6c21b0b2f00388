using System.Linq.Expressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CompiledQueries;

/// <summary>
/// Each hot read twice: as the LINQ it was before (copied here unchanged) and as the domain's compiled
/// query. Both rent a context from the app's pooled factory and give it back, as the services do.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[HideColumns("Error", "RatioSD", "Alloc Ratio")]
public class HotReads
{
    private static readonly Expression<Func<Question, QuestionRecord>> ToRecord = q => new QuestionRecord(
        q.Id, q.Category!.Group!.Name, q.Category.Subject!.Name, q.Category.Name, q.SubCategory == null ? null : q.SubCategory.Name,
        q.Level, q.Type, q.Stem, q.Body, q.CreatedAt, q.UpdatedAt, q.Title);

    private ServiceProvider _services = null!;
    private IDbContextFactory<EduLoopDbContext> _contexts = null!;
    private Fixture _fixture = null!;
    private string _tokenHash = null!;

    /// <summary>Set before the benchmarks run; read by <see cref="Setup"/>.</summary>
    public static string DataDirectory { get; set; } = "";

    /// <summary>Where EF's commands are logged while <see cref="SameQueries"/> compares the two forms; null while timing.</summary>
    public static Microsoft.Extensions.Logging.ILoggerProvider? SqlLogger { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = BenchData.Services(DataDirectory, SqlLogger);
        _contexts = _services.GetRequiredService<IDbContextFactory<EduLoopDbContext>>();
        _fixture = BenchData.Load(DataDirectory);
        _tokenHash = ApiTokenService.Hash(_fixture.TokenKey);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    private static DateTime Now => DateTime.UtcNow;

    [BenchmarkCategory("1 question by id"), Benchmark(Baseline = true)]
    public async Task<QuestionRecord?> QuestionByIdLinq()
    {
        var id = _fixture.QuestionId;
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.Questions.AsNoTracking().Where(q => q.Id == id).Select(ToRecord).FirstOrDefaultAsync();
    }

    [BenchmarkCategory("1 question by id"), Benchmark]
    public async Task<QuestionRecord?> QuestionByIdCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await QuestionService.ById.For(db)(db, _fixture.QuestionId, default);
    }

    [BenchmarkCategory("2 attempt sheet"), Benchmark(Baseline = true)]
    public async Task<object[]> AttemptSheetLinq()
    {
        var (attemptId, studentId) = (_fixture.AttemptId, _fixture.StudentId);
        await using var db = await _contexts.CreateDbContextAsync();
        var attempt = await db.Attempts.AsNoTracking().Include(a => a.Questions.OrderBy(q => q.Position))
            .FirstOrDefaultAsync(a => a.Id == attemptId && a.StudentId == studentId) ?? throw new InvalidOperationException();
        var quiz = await db.Quizzes.AsNoTracking().Where(q => q.Id == attempt.QuizId)
            .Select(q => new { q.Title, q.Instructions, q.OneQuestionPerPage, q.SequentialNavigation }).FirstAsync();
        return [attempt, quiz];
    }

    [BenchmarkCategory("2 attempt sheet"), Benchmark]
    public async Task<object[]> AttemptSheetCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        var attempt = await AttemptService.StudentsAttempt.For(db)(db, _fixture.AttemptId, _fixture.StudentId, default) ?? throw new InvalidOperationException();
        var quiz = await AttemptService.SheetQuiz.For(db)(db, attempt.QuizId, default);
        return [attempt, quiz];
    }

    [BenchmarkCategory("3 token lookup"), Benchmark(Baseline = true)]
    public async Task<ApiTokenOwner?> TokenLookupLinq()
    {
        var (hash, now) = (_tokenHash, Now);
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.ApiTokens
            .Where(t => t.KeyHash == hash && t.User!.IsActive && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Select(t => new ApiTokenOwner(t.UserId, t.SecurityStamp, t.ExpiresAt))
            .FirstOrDefaultAsync();
    }

    [BenchmarkCategory("3 token lookup"), Benchmark]
    public async Task<ApiTokenOwner?> TokenLookupCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await ApiTokenService.OwnerOf.For(db)(db, _tokenHash, Now, default);
    }

    [BenchmarkCategory("4 access-key lookup"), Benchmark(Baseline = true)]
    public async Task<bool> AccessKeyLookupLinq()
    {
        var key = _fixture.AccessKey;
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.AccessKeys.AnyAsync(k => k.Key == key && k.IsActive);
    }

    [BenchmarkCategory("4 access-key lookup"), Benchmark]
    public async Task<bool> AccessKeyLookupCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await ClassService.IsActiveKey.For(db)(db, _fixture.AccessKey, default);
    }

    [BenchmarkCategory("5 practice session"), Benchmark(Baseline = true)]
    public async Task<PracticeSession?> PracticeSessionLinq()
    {
        var (sessionId, now) = (_fixture.SessionId, Now);
        string? owner = Learner.Student(_fixture.PractisingStudentId).Owner;
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.PracticeSessions.FirstOrDefaultAsync(s => s.Id == sessionId && (owner == null || s.Owner == owner) && s.ExpiresAt > now);
    }

    [BenchmarkCategory("5 practice session"), Benchmark]
    public async Task<PracticeSession?> PracticeSessionCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await PracticeService.LiveSession.For(db)(db, _fixture.SessionId, Learner.Student(_fixture.PractisingStudentId).Owner, Now, default);
    }

    [BenchmarkCategory("6 running attempt"), Benchmark(Baseline = true)]
    public async Task<int?> RunningAttemptLinq()
    {
        var (studentId, now) = (_fixture.PractisingStudentId, Now);
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.Attempts
            .Where(a => a.StudentId == studentId && a.State == AttemptState.InProgress && (a.Deadline == null || a.Deadline > now))
            .Select(a => (int?)a.Id).FirstOrDefaultAsync();
    }

    [BenchmarkCategory("6 running attempt"), Benchmark]
    public async Task<int?> RunningAttemptCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await PracticeService.RunningAttempt.For(db)(db, _fixture.PractisingStudentId, Now, default);
    }

    [BenchmarkCategory("7 staff check"), Benchmark(Baseline = true)]
    public async Task<bool> StaffCheckLinq()
    {
        var userId = _fixture.TeacherId;
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.UserRoles.AnyAsync(r => r.UserId == userId && (r.RoleId == "admin" || r.RoleId == "teacher"));
    }

    [BenchmarkCategory("7 staff check"), Benchmark]
    public async Task<bool> StaffCheckCompiled()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await PracticeService.IsStaff.For(db)(db, _fixture.TeacherId, default);
    }
}
