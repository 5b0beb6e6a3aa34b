package io.memdoctor.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a Spring store test on PostgreSQL instead of H2: put it on a subclass of the H2 test, and every test of the
 * parent runs again against a private database on a real PostgreSQL ({@link PostgresServer}), created for the
 * context and dropped when the context closes (after the class). Skips with {@link PostgresServer#UNAVAILABLE}
 * where no PostgreSQL answers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PostgresStore.WhenAvailable.class)
@ContextConfiguration(initializers = PostgresDatabaseInitializer.class)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
// a private PostgreSQL database per class, dropped after it: its context must not be reused
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public @interface PostgresStore {

    /** Skips the class where no PostgreSQL answers. */
    final class WhenAvailable implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return PostgresServer.get().isPresent()
                    ? ConditionEvaluationResult.enabled("PostgreSQL answers")
                    : ConditionEvaluationResult.disabled(PostgresServer.UNAVAILABLE);
        }
    }
}
