using System.Globalization;
using System.Text;
using EduLoop.Domain;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Live;
using EduLoop.Domain.QuestionBank;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>live-load --games G --questions Q --out FILE [--seconds S] [--data-dir DIR]</c>: for the live game
/// benchmark, adds a teacher with a personal token and G live games of Q choice and true/false
/// questions from the bank, open to guests, and writes one line per game: <c>game id, PIN, token</c>,
/// tab-separated.
/// </summary>
public static class LiveLoadCommand
{
    private const string Usage = "Usage: EduLoop.App live-load --games G --questions Q --out FILE [--seconds S] [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--games", "--questions", "--out", "--seconds", "--data-dir") is not { } options)
        {
            return 2;
        }

        if (!int.TryParse(options.GetValueOrDefault("--games"), NumberStyles.None, CultureInfo.InvariantCulture, out var games) || games is < 1 or > 1000
            || !int.TryParse(options.GetValueOrDefault("--questions"), NumberStyles.None, CultureInfo.InvariantCulture, out var questions) || questions is < 1 or > LiveRules.MaxQuestions
            || !int.TryParse(options.GetValueOrDefault("--seconds", "30"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || options.GetValueOrDefault("--out") is not { } file)
        {
            await CommandLine.FailAsync($"Give --games (1 to 1,000), --questions (1 to {LiveRules.MaxQuestions}) and --out.", Usage);
            return 2;
        }

        using var host = await CommandLine.OpenDatabaseAsync(options.GetValueOrDefault("--data-dir", "data"));
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<EduLoopDbContext>>().CreateDbContextAsync();
        var picked = await db.Questions.Where(q => !q.IsArchived && (q.Type == QuestionType.Mcq || q.Type == QuestionType.TrueFalse))
            .OrderBy(q => q.Id).Select(q => q.Id).Take(questions).ToListAsync();
        if (picked.Count < questions)
        {
            await Console.Error.WriteLineAsync($"The bank has only {picked.Count} choice or true/false questions; seed it first.");
            return 1;
        }

        var run = Guid.NewGuid().ToString("N")[..6];
        var email = $"live-host-{run}@bench.local";
        var teacher = new ApplicationUser
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
            DisplayName = "Live host",
            SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        db.Users.Add(teacher);
        await db.SaveChangesAsync();
        var role = await db.Roles.Where(r => r.Name == Roles.Teacher).Select(r => r.Id).SingleAsync();
        db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = teacher.Id, RoleId = role });
        await db.SaveChangesAsync();
        var token = (await services.GetRequiredService<ApiTokenService>().CreateAsync(teacher.Id, "Live load", null)).Key;

        var live = services.GetRequiredService<LiveGameService>();
        var lines = new StringBuilder();
        for (var i = 0; i < games; i++)
        {
            var game = await live.CreateFromQuestionsAsync(Actor.Teacher(teacher.Id), $"Load game {run} {i + 1}", picked,
                new LiveOptions(AllowGuests: true, StreakBonus: true, Seconds: seconds));
            lines.Append(CultureInfo.InvariantCulture, $"{game.Id}\t{game.Pin}\t{token}\n");
        }

        await File.WriteAllTextAsync(file, lines.ToString());
        Console.WriteLine($"{games} live games of {questions} questions, hosted by {email}: {file}");
        return 0;
    }
}
