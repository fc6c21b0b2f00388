using EduLoop.Domain.Identity;

namespace EduLoop.Domain.Classes;

/// <summary>A class of students. Students join it with one of its access keys.</summary>
public sealed class SchoolClass
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// The chance of recall that practice aims at for the class's students (0.7 to 0.97): higher
    /// means more reviews. A student in several classes gets the highest of them.
    /// </summary>
    public double DesiredRetention { get; set; } = Learning.ReviewRecorder.DefaultRetention;

    public List<AccessKey> AccessKeys { get; } = [];
    public List<ClassMembership> Members { get; } = [];
    public List<ClassTeacher> Teachers { get; } = [];
}

public sealed class ClassMembership
{
    public int SchoolClassId { get; set; }
    public SchoolClass? SchoolClass { get; set; }
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public DateTime JoinedAt { get; set; }
}

/// <summary>A teacher of a class: they see its access keys and manage its students. Admins choose a class's teachers.</summary>
public sealed class ClassTeacher
{
    public int SchoolClassId { get; set; }
    public SchoolClass? SchoolClass { get; set; }
    public required string TeacherId { get; set; }
    public ApplicationUser? Teacher { get; set; }
}
