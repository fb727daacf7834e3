package dev.asyncpatterns.jobs;

import java.util.List;

/** The answer of {@code GET /api/jobs}: jobs newest first. */
record JobList(List<JobView> jobs) {
}
