# taskinbox server image: everything it needs is inside; PostgreSQL, NATS and Redis run beside it.
# Node 26 is the active LTS line (node:26 is tagged `lts`); engines in package.json names the supported lines.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:26-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/apps/taskinbox/src/main.js"]
