# SPDX-License-Identifier: GPL-3.0-or-later
# Precompiled headers. Parsing Qt's headers is most of every compile here (gcc -ftime-report on
# a dialect file: 68 % parsing), so each library and each group of tests parses them once.
# Only system headers go in: our own headers change too often to be worth it.
set(SWITCHYARD_PCH_CORE
  <algorithm> <functional> <memory> <optional> <utility> <vector>
  <QByteArray> <QDateTime> <QFile> <QFileInfo> <QHash> <QHostAddress> <QJsonArray>
  <QJsonDocument> <QJsonObject> <QList> <QObject> <QPointer> <QSqlDatabase> <QSqlQuery>
  <QString> <QStringList> <QTcpSocket> <QThread> <QTimer> <QUrl>)
set(SWITCHYARD_PCH_UI ${SWITCHYARD_PCH_CORE}
  <QAbstractTableModel> <QApplication> <QColor> <QComboBox> <QHBoxLayout> <QHeaderView>
  <QLabel> <QLocale> <QPainter> <QPushButton> <QSplitter> <QTableView> <QVBoxLayout> <QWidget>)
set(SWITCHYARD_PCH_TEST <QTest> <QSignalSpy> <QTemporaryDir> <QElapsedTimer> <QDir> <QDeadlineTimer>)

# Tests reuse one precompiled header per group (tests linking core, tests linking the window):
# a header compiled per one-file test would cost more than it saves. The carrier is an object
# library with the group's exact compile flags, which reuse requires.
function(switchyard_test_pch carrier)
  cmake_parse_arguments(ARG "" "" "HEADERS;LIBS" ${ARGN})
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${carrier}.cpp "// precompiled header carrier\n")
  add_library(${carrier} OBJECT ${CMAKE_CURRENT_BINARY_DIR}/${carrier}.cpp)
  target_link_libraries(${carrier} PRIVATE ${ARG_LIBS} Qt6::Test)
  target_compile_options(${carrier} PRIVATE ${SWITCHYARD_WARNINGS})
  target_precompile_headers(${carrier} PRIVATE ${ARG_HEADERS} ${SWITCHYARD_PCH_TEST})
endfunction()
