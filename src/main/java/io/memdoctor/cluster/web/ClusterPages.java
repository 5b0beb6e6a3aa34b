package io.memdoctor.cluster.web;

import io.memdoctor.cluster.Clusters;
import io.memdoctor.instances.InstanceId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /instances/{id}} of a cluster is its cluster page: a cluster has no samples of its own, so the instance page
 * would stay empty. Links that know no better (alerts, exports, bookmarks) land on the right page.
 */
@Configuration
class ClusterPages implements WebMvcConfigurer {

    private final Clusters clusters;

    ClusterPages(Clusters clusters) {
        this.clusters = clusters;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                if (!"GET".equals(request.getMethod())) {
                    return true;
                }
                String id = request.getRequestURI().substring(request.getContextPath().length() + "/instances/".length());
                InstanceId parsed;
                try {
                    parsed = InstanceId.of(id);
                }
                catch (IllegalArgumentException ex) {
                    return true;
                }
                if (!clusters.isCluster(parsed)) {
                    return true;
                }
                String target = request.getContextPath() + "/clusters/" + parsed.value();
                if (request.getHeader("HX-Request") != null) {
                    response.setHeader("HX-Redirect", target);
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                }
                else {
                    response.sendRedirect(target);
                }
                return false;
            }
        }).addPathPatterns("/instances/*");
    }
}
