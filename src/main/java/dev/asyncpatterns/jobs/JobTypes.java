package dev.asyncpatterns.jobs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.asyncpatterns.web.BadRequestException;

/**
 * The job types a registry runs, by name, and the binding of a request's {@code params} to its
 * type's record: what {@code type} and {@code params} of {@code POST /api/jobs} may be.
 */
final class JobTypes {

    private final Map<String, JobType<?>> byName;
    private final JobParamsBinder binder;

    JobTypes(List<JobType<?>> types, JobParamsBinder binder) {
        // Sorted, so the list a 400 offers reads the same on every start.
        this.byName = types.stream().collect(Collectors.toMap(JobType::name, Function.identity(), (a, b) -> {
            throw new IllegalStateException("Two job types are named '" + a.name() + "'");
        }, TreeMap::new));
        this.binder = binder;
    }

    /** The type named {@code name}, or a 400 naming the field {@code type} and listing the known types. */
    @SuppressWarnings("unchecked")
    JobType<Object> get(String name) {
        JobType<?> type = byName.get(name);
        if (type == null) {
            throw new BadRequestException("type", "unknown job type '" + name + "'; one of " + byName.keySet());
        }
        return (JobType<Object>) type;
    }

    /** The request's params bound to its type's record and validated; a 400 naming the field otherwise. */
    Object bind(JobRequest request) {
        return binder.bind(get(request.type()), request.params());
    }

    /** The names, sorted. */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
