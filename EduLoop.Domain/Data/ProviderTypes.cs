using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EduLoop.Domain.Data;

/// <summary>
/// Where the one model differs by provider, in how values are stored:
/// <list type="bullet">
/// <item>SQLite has no decimal type: marks and points are stored as REAL, so that sums and order run in
/// SQL. Marks are at most a few decimal places, far inside a double's precision.</item>
/// <item>PostgreSQL keeps them as <c>numeric</c>, and every time as <c>timestamp with time zone</c>.
/// EduLoop's times are all UTC; one read back from SQLite (or parsed from a query string) has no kind,
/// so it is written as UTC rather than refused.</item>
/// </list>
/// </summary>
internal static class ProviderTypes
{
    public static void Apply(ModelBuilder builder, DatabaseFacade database)
    {
        var sqlite = database.IsSqlite();
        var postgres = database.IsNpgsql();
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                var type = property.ClrType;
                if (sqlite && (type == typeof(decimal) || type == typeof(decimal?)))
                {
                    property.SetProviderClrType(type == typeof(decimal) ? typeof(double) : typeof(double?));
                }
                else if (postgres && type == typeof(DateTime))
                {
                    property.SetValueConverter(_utc);
                }
                else if (postgres && type == typeof(DateTime?))
                {
                    property.SetValueConverter(_utcOrNull);
                }
            }
        }
    }

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static readonly ValueConverter<DateTime, DateTime> _utc = new(v => AsUtc(v), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private static readonly ValueConverter<DateTime?, DateTime?> _utcOrNull = new(
        v => v.HasValue ? AsUtc(v.Value) : v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
