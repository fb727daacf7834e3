package dev.asyncpatterns.jobs.type;

import dev.asyncpatterns.jobs.JobType;

/** The name and params record every job type declares, held once instead of in each type. */
abstract class NamedJobType<P> implements JobType<P> {

    private final String name;
    private final Class<P> paramsType;

    NamedJobType(String name, Class<P> paramsType) {
        this.name = name;
        this.paramsType = paramsType;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Class<P> paramsType() {
        return paramsType;
    }
}
