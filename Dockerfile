# syntax=docker/dockerfile:1
# The service as a container: built with the project's own Maven wrapper on a JDK, run on a JRE
# as a non-root user. `docker compose up --build` uses it; see docker-compose.yml.

# --- build: the wrapper downloads the Maven the project pins, so the image needs only a JDK ---
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
# The cache mount keeps ~/.m2 (dependencies and the wrapper's Maven) between builds without
# baking it into a layer. Tests are CI's job (`./mvnw verify`); here they would only slow every
# image build and need the test classpath.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -Dmaven.test.skip=true package \
 && cp target/async-patterns-*.jar application.jar \
 && java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# --- run: JRE only, one layer per rate of change so a code edit re-ships only the last layer ---
# JDK 25's runtime for its ahead-of-time cache (below); the bytecode is Java 17's, built above and
# tested on 17 (`./mvnw verify`), and the service runs on both.
FROM eclipse-temurin:25-jre
# A fixed numeric id so orchestrators can verify runAsNonRoot without reading /etc/passwd.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# Size the heap from the container's memory limit, not the host's; give memory back once a fifth
# of the heap is free (docs/configuration.md, "JVM and memory"); die on OOM so the orchestrator
# restarts a clean JVM instead of keeping a half-broken one.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+ExitOnOutOfMemoryError" \
    SERVER_PORT=8080 \
    SERVER_ADDRESS=0.0.0.0 \
    ASYNCPATTERNS_TCP_HOST=0.0.0.0
# 8080 HTTP (API, Swagger UI, Actuator); 9090 the TCP echo server (asyncpatterns.tcp.port).
EXPOSE 8080 9090

# Readiness, not liveness: "healthy" means the service takes traffic (it turns OUT_OF_SERVICE
# while draining jobs on shutdown). Plain bash /dev/tcp, because the JRE image is not promised
# to ship curl or wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf 'GET /actuator/health/readiness HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# The ahead-of-time cache (JDK 25, JEPs 483, 514 and 515; Spring Boot documents it): a training run
# records into application.aot every class the service loads, already parsed and linked, and the
# profiles of the methods it ran; each start maps the cache instead of reading, verifying and
# linking the classes again, and compiles its hot methods sooner. The training run is the service
# itself with asyncpatterns.training-run: once ready it sends itself a few rounds of the requests a
# new instance gets first (readiness, a job, a gather, the simulated upstream), then exits, so the
# cache also holds what answering takes; it fails the build if any is answered otherwise. Launch to
# readiness on the benchmark's 2 cores: about 4.4 s, against 5.2 with JDK 17's class data sharing
# (AppCDS) and 10.7 without either (bench/README.md, W10). Native access is granted to the class
# path because Netty loads its epoll transport as a native library, which JDK 25 otherwise warns
# about at every start. The training run listens on loopback only: it has no credential, and the
# service refuses to serve anonymous callers on every address (SERVER_ADDRESS). Trained before
# USER, so the cache is readable, not writable, by the service.
RUN java --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=application.aot -Xlog:aot=error,cds=error \
        -jar application.jar --asyncpatterns.training-run=true --server.address=127.0.0.1
USER 10001:10001

# Exec form: java is PID 1 and gets SIGTERM itself, so graceful shutdown (drain jobs) runs.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:AOTCache=application.aot", "-jar", "application.jar"]
