package io.memdoctor.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout the code promises (docs/architecture.md): controllers are thin, features do not loop through each
 * other, and a feature's {@code web} package is its own.
 */
@AnalyzeClasses(packages = "io.memdoctor", importOptions = ImportOption.DoNotIncludeTests.class)
class LayoutTests {

    private static final DescribedPredicate<JavaClass> CONTROLLERS = DescribedPredicate.describe("controllers",
            c -> c.isAnnotatedWith(Controller.class) || c.isAnnotatedWith(RestController.class));

    /** Storage and Redis: what a controller reaches only through a service. */
    private static final DescribedPredicate<JavaClass> STORE_OR_REDIS = DescribedPredicate.describe(
            "a repository or Redis (Lettuce, io.memdoctor.redis, the scan's RESP client)",
            c -> c.getSimpleName().endsWith("Repository") || c.isAnnotatedWith(Repository.class)
                    || c.getPackageName().startsWith("io.lettuce")
                    || c.getPackageName().equals("io.memdoctor.redis")
                    || c.getPackageName().startsWith("io.memdoctor.redis.")
                    || c.getName().startsWith("io.memdoctor.scans.engine.RespConnection"));

    @ArchTest
    static final ArchRule controllersGoThroughServices = noClasses().that(CONTROLLERS)
            .should().dependOnClassesThat(STORE_OR_REDIS)
            .because("a controller reads and writes through a feature's service, never the store or Redis");

    @ArchTest
    static final ArchRule controllersArePackagePrivate = classes().that(CONTROLLERS)
            .should().notHaveModifier(JavaModifier.PUBLIC)
            .because("nothing calls a controller but Spring");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.memdoctor.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule webPackagesStayInTheirFeature = noClasses()
            .should(reachIntoAnotherFeaturesWeb())
            .because("a feature's web package is its pages and API; other features call its service");

    private static ArchCondition<JavaClass> reachIntoAnotherFeaturesWeb() {
        return new ArchCondition<>("depend on another feature's web package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = feature(origin.getPackageName());
                origin.getDirectDependenciesFromSelf().forEach(dependency -> {
                    String target = dependency.getTargetClass().getPackageName();
                    String to = feature(target);
                    if (to != null && !to.equals(from) && target.startsWith("io.memdoctor." + to + ".web")) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                });
            }
        };
    }

    /** {@code scans} for {@code io.memdoctor.scans.web}; {@code null} outside the base package. */
    private static String feature(String packageName) {
        if (!packageName.startsWith("io.memdoctor.")) {
            return null;
        }
        String rest = packageName.substring("io.memdoctor.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

}
