package dev.asyncpatterns.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports the refusal as a short start-up failure instead of a long bean-creation stack trace. */
class AnonymousExposureFailureAnalyzer extends AbstractFailureAnalyzer<AnonymousExposureException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AnonymousExposureException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Configure a credential, listen on loopback, or set asyncpatterns.security.allow-anonymous=true.", cause);
    }
}
